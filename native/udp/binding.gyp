# node-gyp build of the batched UDP addon of the media path (src/rtp/batch-udp.ts).
#   cd native/udp && node "$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js" rebuild --nodedir=/usr
# Output: native/udp/build/Release/udp.node. Optional: without it media uses node:dgram.
{
  "targets": [
    {
      "target_name": "udp",
      "sources": ["udp.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
