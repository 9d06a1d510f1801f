# node-gyp build of the optional G.729A addon over Debian's libbcg729 (libbcg729-dev).
#   cd native/g729 && node "$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js" rebuild --nodedir=/usr
# Output: native/g729/build/Release/g729.node, loaded by src/codecs/g729.ts.
{
  "targets": [
    {
      "target_name": "g729",
      "sources": ["g729.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "libraries": ["-lbcg729"]
    }
  ]
}
