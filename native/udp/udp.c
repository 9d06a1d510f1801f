// Batched UDP sockets for the media path (src/rtp/batch-udp.ts): node:dgram costs ~14 µs of CPU
// per 20 ms frame sent and received on this machine against ~8 µs for the same syscalls from C
// (bench notes in docs/architecture.md "Media workers"), and libuv hands every ready socket of a
// poll to JavaScript before it looks at timers again, so a burst of 500 packets held up the
// media tick for milliseconds.
//
// A group is one epoll set per thread, watched by one uv_poll_t on the thread's own loop. When
// any socket is readable, up to max_batch ready sockets are read once each (level-triggered:
// a socket with more datagrams stays ready for the next round) into a shared buffer, and
// JavaScript gets them in one call; then libuv runs its timers before the next round.
// Sends go straight to send(2)/sendto(2) from the calling thread.
//
// Coalesced reads: packets that trickle in (another thread sending 500 in a burst) woke the
// thread once each (1.1 datagrams per round measured). After a small round (at most
// max_batch / 8), the group stops watching for coalesce_ms, so the next ones are read a round at
// a time; a larger round (the tail of a backlog: the thread is busy) does not pause. Not while a
// socket opened without coalescing is open (tests in virtual time read what was sent a few loop
// turns ago). Each datagram carries its kernel receive time (SO_TIMESTAMPNS), handed over as its
// age, so arrival times (RFC 3550 A.8 jitter, RTT) stay exact however late the read. (Linux turns
// receive timestamps on a moment after the first socket asks: the first datagrams may come
// stamped at the read, as without this.)
//
// Per packet the meta array holds META_STRIDE int32: slot, offset, length (or -errno),
// family (4 or 6), port, address words (IPv4: one big-endian word; IPv6: four), age in µs when
// JavaScript is called (-1: no kernel timestamp).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#define META_STRIDE 10
#define MAX_DATAGRAM 65536

typedef struct group {
  napi_env env;
  int epfd;
  uv_poll_t poll;
  int polling;
  uv_timer_t pause;
  int paused;
  int coalesce_ms;
  int open_handles; /* poll and pause timer, until both are closed */
  struct timespec *stamps;
  int sockets;
  int eager; /* open sockets that asked not to coalesce */
  napi_ref callback;
  napi_ref meta_ref;
  napi_ref data_ref;
  napi_async_context async;
  int32_t *meta;
  size_t meta_len; /* int32 elements */
  uint8_t *data;
  size_t data_len;
  int max_batch;
  struct epoll_event *events;
  /* owned[fd]: 1 for a socket of this group, 2 for one that does not coalesce (closed with it at thread exit). */
  uint8_t *owned;
  size_t owned_len;
  napi_async_cleanup_hook_handle cleanup;
} group_t;

#define CHECK(env, call)                                  \
  do {                                                    \
    if ((call) != napi_ok) {                              \
      napi_throw_error((env), NULL, "udp addon: " #call); \
      return NULL;                                        \
    }                                                     \
  } while (0)

static napi_value int_value(napi_env env, int64_t v) {
  napi_value out;
  napi_create_int64(env, v, &out);
  return out;
}

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    napi_throw_type_error(env, NULL, "udp addon: missing arguments");
    return 0;
  }
  return 1;
}

static group_t *get_group(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok || p == NULL) {
    napi_throw_type_error(env, NULL, "udp addon: not a group");
    return NULL;
  }
  return (group_t *)p;
}

static int get_int(napi_env env, napi_value v, int32_t *out) {
  if (napi_get_value_int32(env, v, out) != napi_ok) {
    napi_throw_type_error(env, NULL, "udp addon: expected a number");
    return 0;
  }
  return 1;
}

/* Parses an IP literal into a sockaddr; 0 on success, -EINVAL otherwise. */
static int make_addr(napi_env env, napi_value addr_v, int32_t port, struct sockaddr_storage *ss, socklen_t *len) {
  char text[64];
  size_t n = 0;
  if (napi_get_value_string_utf8(env, addr_v, text, sizeof text, &n) != napi_ok) return -EINVAL;
  memset(ss, 0, sizeof *ss);
  if (strchr(text, ':') != NULL) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
    a->sin6_family = AF_INET6;
    a->sin6_port = htons((uint16_t)port);
    if (inet_pton(AF_INET6, text, &a->sin6_addr) != 1) return -EINVAL;
    *len = sizeof *a;
  } else {
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, text, &a->sin_addr) != 1) return -EINVAL;
    *len = sizeof *a;
  }
  return 0;
}

static void own(group_t *g, int fd, uint8_t on) {
  if ((size_t)fd >= g->owned_len) {
    size_t len = g->owned_len ? g->owned_len : 1024;
    while (len <= (size_t)fd) len *= 2;
    uint8_t *grown = realloc(g->owned, len);
    if (grown == NULL) return;
    memset(grown + g->owned_len, 0, len - g->owned_len);
    g->owned = grown;
    g->owned_len = len;
  }
  g->owned[fd] = on;
}

static void on_readable(uv_poll_t *handle, int status, int events);

/*
 * The loop watches the epoll set while the group has sockets and is not pausing between rounds
 * (an idle thread may exit).
 */
static void update_polling(group_t *g) {
  if (g->sockets == 0 && g->paused) {
    uv_timer_stop(&g->pause);
    g->paused = 0;
  }
  int want = g->sockets > 0 && !g->paused;
  if (want && !g->polling) {
    uv_poll_start(&g->poll, UV_READABLE, on_readable);
    g->polling = 1;
  } else if (!want && g->polling) {
    uv_poll_stop(&g->poll);
    g->polling = 0;
  }
}

static void on_resume(uv_timer_t *timer) {
  group_t *g = (group_t *)timer->data;
  g->paused = 0;
  update_polling(g);
}

/* The kernel's receive time of a datagram (SCM_TIMESTAMPNS), or tv_sec -1. */
static struct timespec stamp_of(struct msghdr *msg) {
  struct timespec ts = {-1, 0};
  for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) memcpy(&ts, CMSG_DATA(c), sizeof ts);
  return ts;
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  (void)events;
  group_t *g = (group_t *)handle->data;
  if (status < 0) return;
  int ready = epoll_wait(g->epfd, g->events, g->max_batch, 0);
  if (ready <= 0) return;
  size_t offset = 0;
  int count = 0;
  for (int i = 0; i < ready; i++) {
    if (g->data_len - offset < MAX_DATAGRAM) break; /* the rest stays ready for the next round */
    uint64_t key = g->events[i].data.u64;
    int fd = (int)(key & 0xffffffffu);
    int32_t slot = (int32_t)(key >> 32);
    struct sockaddr_storage src;
    struct iovec iov = {g->data + offset, g->data_len - offset};
    char control[CMSG_SPACE(sizeof(struct timespec))];
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_name = &src;
    msg.msg_namelen = sizeof src;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) continue;
    int32_t *m = g->meta + (size_t)count * META_STRIDE;
    memset(m, 0, META_STRIDE * sizeof *m);
    m[0] = slot;
    m[1] = (int32_t)offset;
    g->stamps[count].tv_sec = -1;
    if (n < 0) {
      m[2] = -errno; /* e.g. ECONNREFUSED: an ICMP error for an earlier send */
    } else {
      m[2] = (int32_t)n;
      offset += (size_t)n;
      g->stamps[count] = stamp_of(&msg);
      if (src.ss_family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&src;
        m[3] = 6;
        m[4] = ntohs(a->sin6_port);
        for (int w = 0; w < 4; w++) {
          uint32_t word;
          memcpy(&word, a->sin6_addr.s6_addr + 4 * w, 4);
          m[5 + w] = (int32_t)ntohl(word);
        }
      } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&src;
        m[3] = 4;
        m[4] = ntohs(a->sin_port);
        m[5] = (int32_t)ntohl(a->sin_addr.s_addr);
      }
    }
    count++;
  }
  if (count == 0) return;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  for (int i = 0; i < count; i++) {
    struct timespec t = g->stamps[i];
    int64_t age = t.tv_sec < 0 ? -1 : ((int64_t)(now.tv_sec - t.tv_sec) * 1000000 + (now.tv_nsec - t.tv_nsec) / 1000);
    g->meta[(size_t)i * META_STRIDE + 9] = age < -1 ? 0 : age > INT32_MAX ? INT32_MAX : (int32_t)age;
  }
  napi_env env = g->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value cb, recv, argv[1], result;
  napi_get_reference_value(env, g->callback, &cb);
  napi_get_global(env, &recv); // napi_make_callback wants an object as receiver
  argv[0] = int_value(env, count);
  // napi_make_callback: microtasks and process.nextTick run after it, as after any I/O callback.
  if (napi_make_callback(env, g->async, recv, cb, 1, argv, &result) == napi_pending_exception) {
    napi_value err;
    napi_get_and_clear_last_exception(env, &err);
    napi_fatal_exception(env, err);
  }
  napi_close_handle_scope(env, scope);
  // A small round: packets trickle in one wake-up at a time; let the next ones gather for a
  // while (see the header). The tail of a backlog (a larger round) does not pause: that thread
  // is busy, and a pause would only hold its reads back.
  if (count <= g->max_batch / 8 && g->coalesce_ms > 0 && g->eager == 0 && g->polling) {
    g->paused = 1;
    update_polling(g);
    // From now, not from the loop time cached when this iteration began (libuv counts whole ms:
    // the pause lasts coalesce_ms - 1 to coalesce_ms).
    uv_update_time(g->poll.loop);
    uv_timer_start(&g->pause, on_resume, (uint64_t)g->coalesce_ms, 0);
  }
}

static void free_group(uv_handle_t *handle) {
  group_t *g = (group_t *)handle->data;
  if (--g->open_handles > 0) return;
  napi_remove_async_cleanup_hook(g->cleanup);
  free(g->stamps);
  free(g->events);
  free(g->owned);
  free(g);
}

/* Thread exit (worker terminated, process ending): close the sockets and the epoll set. */
static void cleanup_group(napi_async_cleanup_hook_handle handle, void *arg) {
  (void)handle;
  group_t *g = (group_t *)arg;
  for (size_t fd = 0; fd < g->owned_len; fd++)
    if (g->owned[fd]) close((int)fd);
  close(g->epfd);
  napi_delete_reference(g->env, g->callback);
  napi_delete_reference(g->env, g->meta_ref);
  napi_delete_reference(g->env, g->data_ref);
  napi_async_destroy(g->env, g->async);
  uv_timer_stop(&g->pause);
  uv_close((uv_handle_t *)&g->poll, free_group);
  uv_close((uv_handle_t *)&g->pause, free_group);
}

/* groupCreate(meta: Int32Array, data: Uint8Array, maxBatch, onBatch(count), coalesceMs) -> group */
static napi_value group_create(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!get_args(env, info, 5, argv)) return NULL;
  napi_typedarray_type type;
  size_t length;
  void *meta;
  void *data;
  size_t data_len;
  CHECK(env, napi_get_typedarray_info(env, argv[0], &type, &length, &meta, NULL, NULL));
  int32_t max_batch, coalesce_ms;
  if (!get_int(env, argv[2], &max_batch) || !get_int(env, argv[4], &coalesce_ms)) return NULL;
  if (type != napi_int32_array || max_batch < 1 || length < (size_t)max_batch * META_STRIDE) {
    napi_throw_range_error(env, NULL, "udp addon: meta must be an Int32Array of maxBatch * metaStride");
    return NULL;
  }
  CHECK(env, napi_get_typedarray_info(env, argv[1], &type, &data_len, &data, NULL, NULL));
  if (type != napi_uint8_array || data_len < 2 * MAX_DATAGRAM) {
    napi_throw_range_error(env, NULL, "udp addon: data must be a Uint8Array of at least 128 KiB");
    return NULL;
  }
  uv_loop_t *loop;
  CHECK(env, napi_get_uv_event_loop(env, &loop));
  group_t *g = calloc(1, sizeof *g);
  if (g == NULL) {
    napi_throw_error(env, "ENOMEM", "udp addon: out of memory");
    return NULL;
  }
  g->env = env;
  g->meta = meta;
  g->meta_len = length;
  g->data = data;
  g->data_len = data_len;
  g->max_batch = max_batch;
  g->coalesce_ms = coalesce_ms < 0 ? 0 : coalesce_ms;
  g->events = calloc((size_t)max_batch, sizeof *g->events);
  g->stamps = calloc((size_t)max_batch, sizeof *g->stamps);
  g->epfd = epoll_create1(EPOLL_CLOEXEC);
  if (g->epfd < 0 || g->events == NULL || g->stamps == NULL || uv_poll_init(loop, &g->poll, g->epfd) != 0) {
    if (g->epfd >= 0) close(g->epfd);
    free(g->stamps);
    free(g->events);
    free(g);
    napi_throw_error(env, NULL, "udp addon: cannot create the epoll set");
    return NULL;
  }
  g->poll.data = g;
  uv_timer_init(loop, &g->pause);
  g->pause.data = g;
  g->open_handles = 2;
  napi_create_reference(env, argv[3], 1, &g->callback);
  napi_create_reference(env, argv[0], 1, &g->meta_ref);
  napi_create_reference(env, argv[1], 1, &g->data_ref);
  napi_value name;
  napi_create_string_utf8(env, "vphone:udp", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &g->async);
  napi_add_async_cleanup_hook(env, cleanup_group, g, &g->cleanup);
  napi_value out;
  CHECK(env, napi_create_external(env, g, NULL, NULL, &out));
  return out;
}

/* open(group, slot, address, port, receiveBufferBytes, coalesce) -> fd, or -errno */
static napi_value sock_open(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!get_args(env, info, 6, argv)) return NULL;
  group_t *g = get_group(env, argv[0]);
  int32_t slot, port, rcvbuf;
  bool coalesce = true;
  if (g == NULL || !get_int(env, argv[1], &slot) || !get_int(env, argv[3], &port) || !get_int(env, argv[4], &rcvbuf)) return NULL;
  if (napi_get_value_bool(env, argv[5], &coalesce) != napi_ok) {
    napi_throw_type_error(env, NULL, "udp addon: coalesce must be a boolean");
    return NULL;
  }
  struct sockaddr_storage ss;
  socklen_t len;
  if (make_addr(env, argv[2], port, &ss, &len) != 0) return int_value(env, -EINVAL);
  int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return int_value(env, -errno);
  if (ss.ss_family == AF_INET6) {
    int on = 1;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
  }
  if (bind(fd, (struct sockaddr *)&ss, len) != 0) {
    int e = errno;
    close(fd);
    return int_value(env, -e);
  }
  if (rcvbuf > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf); /* capped by rmem_max */
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.events = EPOLLIN;
  ev.data.u64 = ((uint64_t)(uint32_t)slot << 32) | (uint32_t)fd;
  if (epoll_ctl(g->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
    int e = errno;
    close(fd);
    return int_value(env, -e);
  }
  own(g, fd, coalesce ? 1 : 2);
  g->sockets++;
  if (!coalesce) g->eager++;
  update_polling(g);
  return int_value(env, fd);
}

/* localPort(fd) -> port, or -errno */
static napi_value local_port(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!get_args(env, info, 1, argv) || !get_int(env, argv[0], &fd)) return NULL;
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) return int_value(env, -errno);
  return int_value(env, ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port) : ntohs(((struct sockaddr_in *)&ss)->sin_port));
}

/* connect(fd, address, port) -> 0 or -errno. UDP connect completes at once. */
static napi_value sock_connect(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t fd, port;
  if (!get_args(env, info, 3, argv) || !get_int(env, argv[0], &fd) || !get_int(env, argv[2], &port)) return NULL;
  struct sockaddr_storage ss;
  socklen_t len;
  if (make_addr(env, argv[1], port, &ss, &len) != 0) return int_value(env, -EINVAL);
  return int_value(env, connect(fd, (struct sockaddr *)&ss, len) == 0 ? 0 : -errno);
}

/*
 * disconnect(fd, localAddress, localPort) -> 0 or -errno. connect to AF_UNSPEC dissolves the
 * association; Linux also forgets a port the kernel chose (bound as port 0, no
 * SOCK_BINDPORT_LOCK), so such a socket is bound to it again.
 */
static napi_value sock_disconnect(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t fd, port;
  if (!get_args(env, info, 3, argv) || !get_int(env, argv[0], &fd) || !get_int(env, argv[2], &port)) return NULL;
  struct sockaddr sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_family = AF_UNSPEC;
  if (connect(fd, &sa, sizeof sa) != 0) return int_value(env, -errno);
  struct sockaddr_storage now;
  socklen_t nlen = sizeof now;
  if (getsockname(fd, (struct sockaddr *)&now, &nlen) != 0) return int_value(env, -errno);
  in_port_t bound = now.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&now)->sin6_port : ((struct sockaddr_in *)&now)->sin_port;
  if (bound != 0) return int_value(env, 0);
  struct sockaddr_storage ss;
  socklen_t len;
  if (make_addr(env, argv[1], port, &ss, &len) != 0) return int_value(env, -EINVAL);
  return int_value(env, bind(fd, (struct sockaddr *)&ss, len) == 0 ? 0 : -errno);
}

static int get_bytes(napi_env env, napi_value v, int32_t length, uint8_t **out) {
  napi_typedarray_type type;
  size_t len;
  void *data;
  if (napi_get_typedarray_info(env, v, &type, &len, &data, NULL, NULL) != napi_ok || type != napi_uint8_array || length < 0 || (size_t)length > len) {
    napi_throw_range_error(env, NULL, "udp addon: bytes must be a Uint8Array of at least length");
    return 0;
  }
  *out = data;
  return 1;
}

/* send(fd, bytes, length) -> bytes sent, or -errno (to the connected peer) */
static napi_value sock_send(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t fd, length;
  uint8_t *bytes;
  if (!get_args(env, info, 3, argv) || !get_int(env, argv[0], &fd) || !get_int(env, argv[2], &length) || !get_bytes(env, argv[1], length, &bytes)) return NULL;
  ssize_t n = send(fd, bytes, (size_t)length, MSG_DONTWAIT);
  return int_value(env, n < 0 ? -errno : n);
}

/* sendTo(fd, bytes, length, address, port) -> bytes sent, or -errno */
static napi_value sock_send_to(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int32_t fd, length, port;
  uint8_t *bytes;
  if (!get_args(env, info, 5, argv) || !get_int(env, argv[0], &fd) || !get_int(env, argv[2], &length) || !get_int(env, argv[4], &port) || !get_bytes(env, argv[1], length, &bytes)) return NULL;
  struct sockaddr_storage ss;
  socklen_t len;
  if (make_addr(env, argv[3], port, &ss, &len) != 0) return int_value(env, -EINVAL);
  ssize_t n = sendto(fd, bytes, (size_t)length, MSG_DONTWAIT, (struct sockaddr *)&ss, len);
  return int_value(env, n < 0 ? -errno : n);
}

/* close(group, fd) */
static napi_value sock_close(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv)) return NULL;
  group_t *g = get_group(env, argv[0]);
  int32_t fd;
  if (g == NULL || !get_int(env, argv[1], &fd)) return NULL;
  if (fd < 0 || (size_t)fd >= g->owned_len || !g->owned[fd]) return int_value(env, -EBADF);
  epoll_ctl(g->epfd, EPOLL_CTL_DEL, fd, NULL);
  close(fd);
  if (g->owned[fd] == 2) g->eager--;
  own(g, fd, 0);
  g->sockets--;
  update_polling(g);
  return int_value(env, 0);
}

/* errorName(errno) -> 'ECONNREFUSED' style text for messages */
static napi_value error_text(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t e;
  if (!get_args(env, info, 1, argv) || !get_int(env, argv[0], &e)) return NULL;
  napi_value out;
  napi_create_string_utf8(env, uv_err_name(-e), NAPI_AUTO_LENGTH, &out);
  return out;
}

/* ntop6(w0, w1, w2, w3) -> the text form of an IPv6 address (as Node's rinfo.address) */
static napi_value ntop6(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!get_args(env, info, 4, argv)) return NULL;
  struct in6_addr a;
  for (int w = 0; w < 4; w++) {
    int32_t v;
    if (!get_int(env, argv[w], &v)) return NULL;
    uint32_t word = htonl((uint32_t)v);
    memcpy(a.s6_addr + 4 * w, &word, 4);
  }
  char text[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &a, text, sizeof text);
  napi_value out;
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &out);
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"groupCreate", NULL, group_create, NULL, NULL, NULL, napi_default, NULL},
      {"open", NULL, sock_open, NULL, NULL, NULL, napi_default, NULL},
      {"localPort", NULL, local_port, NULL, NULL, NULL, napi_default, NULL},
      {"connect", NULL, sock_connect, NULL, NULL, NULL, napi_default, NULL},
      {"disconnect", NULL, sock_disconnect, NULL, NULL, NULL, napi_default, NULL},
      {"send", NULL, sock_send, NULL, NULL, NULL, napi_default, NULL},
      {"sendTo", NULL, sock_send_to, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, sock_close, NULL, NULL, NULL, napi_default, NULL},
      {"errorName", NULL, error_text, NULL, NULL, NULL, napi_default, NULL},
      {"ntop6", NULL, ntop6, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  napi_value stride;
  napi_create_int32(env, META_STRIDE, &stride);
  napi_set_named_property(env, exports, "metaStride", stride);
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
