#include "topology/impl/amqp_connection.hpp"

#include <sys/time.h>

#include <amqp_tcp_socket.h>

#include "net/redact.hpp"
#include "net/url.hpp"

namespace tradewind::topology::impl {

namespace {

timeval to_timeval(int ms) {
  return timeval{ms / 1000, (ms % 1000) * 1000};
}

std::string header_text(const amqp_basic_properties_t& p, const char* key) {
  if (!(p._flags & AMQP_BASIC_HEADERS_FLAG))
    return {};
  for (int i = 0; i < p.headers.num_entries; ++i) {
    const auto& e = p.headers.entries[i];
    if (text_of(e.key) != key)
      continue;
    if (e.value.kind == AMQP_FIELD_KIND_UTF8 || e.value.kind == AMQP_FIELD_KIND_BYTES)
      return text_of(e.value.value.bytes);
  }
  return {};
}

} // namespace

std::string text_of(amqp_bytes_t b) {
  return b.bytes == nullptr ? std::string{} : std::string(static_cast<const char*>(b.bytes), b.len);
}

void field_table::add(const char* key, const std::string& value) {
  amqp_table_entry_t e{};
  e.key = amqp_cstring_bytes(key);
  e.value.kind = AMQP_FIELD_KIND_UTF8;
  e.value.value.bytes = bytes_of(value);
  entries_.push_back(e);
}

void field_table::add(const char* key, int64_t value) {
  amqp_table_entry_t e{};
  e.key = amqp_cstring_bytes(key);
  e.value.kind = AMQP_FIELD_KIND_I64;
  e.value.value.i64 = value;
  entries_.push_back(e);
}

void field_table::add(const char* key, bool value) {
  amqp_table_entry_t e{};
  e.key = amqp_cstring_bytes(key);
  e.value.kind = AMQP_FIELD_KIND_BOOLEAN;
  e.value.value.boolean = value ? 1 : 0;
  entries_.push_back(e);
}

amqp_table_t field_table::table() {
  amqp_table_t t;
  t.num_entries = static_cast<int>(entries_.size());
  t.entries = entries_.empty() ? nullptr : entries_.data();
  return t;
}

delivery::~delivery() {
  if (owns_envelope)
    amqp_destroy_envelope(&envelope);
}

std::string delivery::header(const char* key) const {
  return owns_envelope ? header_text(envelope.message.properties, key) : std::string{};
}

int64_t delivery::header_int(const char* key) const {
  const auto& p = envelope.message.properties;
  if (!owns_envelope || !(p._flags & AMQP_BASIC_HEADERS_FLAG))
    return -1;
  for (int i = 0; i < p.headers.num_entries; ++i) {
    const auto& e = p.headers.entries[i];
    if (text_of(e.key) != key)
      continue;
    switch (e.value.kind) {
      case AMQP_FIELD_KIND_I64: return e.value.value.i64;
      case AMQP_FIELD_KIND_U64: return static_cast<int64_t>(e.value.value.u64);
      case AMQP_FIELD_KIND_I32: return e.value.value.i32;
      case AMQP_FIELD_KIND_U32: return e.value.value.u32;
      default: return -1;
    }
  }
  return -1;
}

int delivery::delivery_mode() const {
  const auto& p = envelope.message.properties;
  return owns_envelope && (p._flags & AMQP_BASIC_DELIVERY_MODE_FLAG) ? p.delivery_mode : 0;
}

std::string delivery::content_type() const {
  const auto& p = envelope.message.properties;
  return owns_envelope && (p._flags & AMQP_BASIC_CONTENT_TYPE_FLAG) ? text_of(p.content_type) : std::string{};
}

amqp_connection::~amqp_connection() {
  close();
}

void amqp_connection::close() {
  if (state_ == nullptr)
    return;
  if (logged_in_ && !dead_) {
    if (channel_ != 0)
      amqp_channel_close(state_, channel_, AMQP_REPLY_SUCCESS);
    amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
  }
  amqp_destroy_connection(state_);
  state_ = nullptr;
  channel_ = 0;
  logged_in_ = false;
  dead_ = true;
}

std::string amqp_connection::open(const connection_options& opts) {
  close();
  state_ = amqp_new_connection();
  dead_ = false;
  reopen_channel_ = opts.reopen_channel_after_error;
  std::string shown = tradewind::redact_url(opts.url);
  std::string buffer = opts.url; // amqp_parse_url decodes in place and points into the buffer
  amqp_connection_info info;
  amqp_default_connection_info(&info);
  if (amqp_parse_url(buffer.data(), &info) != AMQP_STATUS_OK) {
    dead_ = true;
    return "invalid AMQP URL " + shown + " (expected amqp://user:pass@host:port/)";
  }
  where_ = std::string(info.host) + ":" + std::to_string(info.port) + " vhost \"" + opts.vhost + "\"";
  amqp_socket_t* socket = amqp_tcp_socket_new(state_);
  if (socket == nullptr) {
    dead_ = true;
    return "AMQP " + where_ + ": cannot create a socket";
  }
  timeval tv = to_timeval(opts.timeout_ms);
  int status = amqp_socket_open_noblock(socket, info.host, info.port, &tv);
  if (status != AMQP_STATUS_OK) {
    dead_ = true;
    return "AMQP " + where_ + ": cannot connect: " + amqp_error_string2(status);
  }
  amqp_set_rpc_timeout(state_, &tv);
  amqp_rpc_reply_t r = amqp_login(state_, opts.vhost.c_str(), 0, 131072, opts.heartbeat_s, AMQP_SASL_METHOD_PLAIN,
                                  info.user, info.password);
  if (r.reply_type != AMQP_RESPONSE_NORMAL) {
    if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_CONNECTION_CLOSED) {
      dead_ = true;
      return "AMQP " + where_ + ": login refused (check the user, password and vhost)";
    }
    std::string err = describe(r, "login");
    dead_ = true;
    return err;
  }
  logged_in_ = true;
  return open_channel();
}

std::string amqp_connection::open_channel() {
  ++channel_;
  amqp_channel_open(state_, channel_);
  return check("channel.open");
}

std::string amqp_connection::describe(const amqp_rpc_reply_t& r, const std::string& what) {
  std::string prefix = "AMQP " + where_ + ": " + what + ": ";
  switch (r.reply_type) {
    case AMQP_RESPONSE_NORMAL: return {};
    case AMQP_RESPONSE_NONE: dead_ = true; return prefix + "no reply";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: dead_ = true; return prefix + amqp_error_string2(r.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION: break;
  }
  if (r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
    auto* m = static_cast<amqp_channel_close_t*>(r.reply.decoded);
    std::string text = std::to_string(m->reply_code) + " " + text_of(m->reply_text);
    amqp_channel_close_ok_t ok{};
    amqp_send_method(state_, channel_, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
    if (!reopen_channel_) {
      dead_ = true;
      return prefix + text;
    }
    std::string reopened = open_channel();
    return prefix + text + (reopened.empty() ? "" : " (" + reopened + ")");
  }
  dead_ = true;
  if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
    auto* m = static_cast<amqp_connection_close_t*>(r.reply.decoded);
    std::string text = std::to_string(m->reply_code) + " " + text_of(m->reply_text);
    amqp_connection_close_ok_t ok{};
    amqp_send_method(state_, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
    return prefix + text;
  }
  return prefix + "unexpected method " + std::to_string(r.reply.id);
}

std::string amqp_connection::check(const std::string& what) {
  if (!is_open())
    return "AMQP " + where_ + ": " + what + ": the connection is closed";
  return describe(amqp_get_rpc_reply(state_), what);
}

std::string amqp_connection::enable_confirms() {
  amqp_confirm_select(state_, channel_);
  return check("confirm.select");
}

std::string amqp_connection::set_prefetch(int prefetch) {
  amqp_basic_qos(state_, channel_, 0, static_cast<uint16_t>(prefetch), 0);
  return check("basic.qos");
}

std::string amqp_connection::start_consuming(const std::string& queue, const std::string& tag,
                                             std::optional<int64_t> stream_offset) {
  const std::string first = "first"; // the table points into it until the call returns
  field_table args;
  if (stream_offset && *stream_offset > 0)
    args.add("x-stream-offset", *stream_offset);
  else if (stream_offset)
    args.add("x-stream-offset", first);
  amqp_basic_consume(state_, channel_, bytes_of(queue), bytes_of(tag), 0, 0, 0, args.table());
  return check("basic.consume " + queue
               + (stream_offset ? " from offset " + std::to_string(*stream_offset) : std::string{}));
}

std::string amqp_connection::publish(const std::string& exchange, const std::string& key, bool mandatory,
                                     const amqp_basic_properties_t& props, amqp_bytes_t body, const char* what) {
  if (!is_open())
    return "AMQP " + where_ + ": not connected";
  int rc = amqp_basic_publish(state_, channel_, bytes_of(exchange), bytes_of(key), mandatory ? 1 : 0, 0, &props,
                              body);
  if (rc != AMQP_STATUS_OK) {
    dead_ = true;
    return "AMQP " + where_ + ": " + what + ": " + amqp_error_string2(rc);
  }
  return {};
}

std::string amqp_connection::republish(const delivery& d, const std::string& exchange, const std::string& key,
                                       const std::map<std::string, std::string>& extra) {
  amqp_basic_properties_t props = d.envelope.message.properties;
  field_table headers;
  if (props._flags & AMQP_BASIC_HEADERS_FLAG)
    for (int i = 0; i < props.headers.num_entries; ++i)
      if (extra.count(text_of(props.headers.entries[i].key)) == 0)
        headers.add_raw(props.headers.entries[i]);
  for (const auto& [k, v] : extra)
    headers.add(k.c_str(), v);
  props._flags |= AMQP_BASIC_HEADERS_FLAG;
  props.headers = headers.table();
  return publish(exchange, key, false, props, d.envelope.message.body, "basic.publish (dead letter)");
}

std::string amqp_connection::ack(uint64_t delivery_tag) {
  int rc = amqp_basic_ack(state_, channel_, delivery_tag, 0);
  if (rc != AMQP_STATUS_OK) {
    dead_ = true;
    return "AMQP " + where_ + ": basic.ack: " + amqp_error_string2(rc);
  }
  return {};
}

std::string amqp_connection::reject(uint64_t delivery_tag) {
  int rc = amqp_basic_reject(state_, channel_, delivery_tag, 0);
  if (rc != AMQP_STATUS_OK) {
    dead_ = true;
    return "AMQP " + where_ + ": basic.reject: " + amqp_error_string2(rc);
  }
  return {};
}

frame_event amqp_connection::on_method(const amqp_frame_t& frame) {
  frame_event ev;
  ev.kind = frame_event::other;
  if (frame.frame_type != AMQP_FRAME_METHOD)
    return ev;
  switch (frame.payload.method.id) {
    case AMQP_BASIC_ACK_METHOD: {
      auto* m = static_cast<amqp_basic_ack_t*>(frame.payload.method.decoded);
      ev.kind = frame_event::ack;
      ev.delivery_tag = m->delivery_tag;
      ev.multiple = m->multiple != 0;
      break;
    }
    case AMQP_BASIC_NACK_METHOD: {
      auto* m = static_cast<amqp_basic_nack_t*>(frame.payload.method.decoded);
      ev.kind = frame_event::nack;
      ev.delivery_tag = m->delivery_tag;
      ev.multiple = m->multiple != 0;
      break;
    }
    case AMQP_BASIC_RETURN_METHOD: {
      auto* m = static_cast<amqp_basic_return_t*>(frame.payload.method.decoded);
      ev.kind = frame_event::returned;
      ev.text = std::to_string(m->reply_code) + " " + text_of(m->reply_text);
      ev.routing_key = text_of(m->routing_key);
      // The returned message's header and body frames follow; read them off the wire.
      amqp_message_t msg;
      amqp_rpc_reply_t r = amqp_read_message(state_, frame.channel, &msg, 0);
      if (r.reply_type == AMQP_RESPONSE_NORMAL) {
        if (msg.properties._flags & AMQP_BASIC_MESSAGE_ID_FLAG)
          ev.message_id = text_of(msg.properties.message_id);
        amqp_destroy_message(&msg);
      } else {
        dead_ = true;
      }
      break;
    }
    case AMQP_CHANNEL_CLOSE_METHOD: {
      auto* m = static_cast<amqp_channel_close_t*>(frame.payload.method.decoded);
      ev.kind = frame_event::closed;
      ev.text = "channel closed by the broker: " + std::to_string(m->reply_code) + " " + text_of(m->reply_text);
      amqp_channel_close_ok_t ok{};
      amqp_send_method(state_, channel_, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
      dead_ = true;
      break;
    }
    case AMQP_CONNECTION_CLOSE_METHOD: {
      auto* m = static_cast<amqp_connection_close_t*>(frame.payload.method.decoded);
      ev.kind = frame_event::closed;
      ev.text = "connection closed by the broker: " + std::to_string(m->reply_code) + " " + text_of(m->reply_text);
      amqp_connection_close_ok_t ok{};
      amqp_send_method(state_, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
      dead_ = true;
      break;
    }
    default: break;
  }
  return ev;
}

frame_event amqp_connection::poll(int timeout_ms) {
  frame_event ev;
  if (!is_open()) {
    ev.kind = frame_event::closed;
    ev.text = "not connected";
    return ev;
  }
  amqp_maybe_release_buffers(state_);
  amqp_frame_t frame;
  timeval tv = to_timeval(timeout_ms);
  int rc = amqp_simple_wait_frame_noblock(state_, &frame, &tv);
  if (rc == AMQP_STATUS_TIMEOUT)
    return ev;
  if (rc != AMQP_STATUS_OK) {
    dead_ = true;
    ev.kind = frame_event::closed;
    ev.text = std::string("connection lost: ") + amqp_error_string2(rc);
    return ev;
  }
  return on_method(frame);
}

bool amqp_connection::consume(int timeout_ms, delivery& d, frame_event& ev) {
  ev = frame_event{};
  if (!is_open()) {
    ev.kind = frame_event::closed;
    ev.text = "not connected";
    return false;
  }
  amqp_maybe_release_buffers(state_);
  timeval tv = to_timeval(timeout_ms);
  amqp_envelope_t env;
  amqp_rpc_reply_t r = amqp_consume_message(state_, &env, &tv, 0);
  if (r.reply_type == AMQP_RESPONSE_NORMAL) {
    d.envelope = env;
    d.owns_envelope = true;
    d.delivery_tag = env.delivery_tag;
    d.redelivered = env.redelivered != 0;
    d.routing_key = text_of(env.routing_key);
    d.body = text_of(env.message.body);
    if (env.message.properties._flags & AMQP_BASIC_MESSAGE_ID_FLAG)
      d.message_id = text_of(env.message.properties.message_id);
    return true;
  }
  if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_TIMEOUT)
    return false;
  if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
    amqp_frame_t frame;
    int rc = amqp_simple_wait_frame(state_, &frame);
    if (rc != AMQP_STATUS_OK) {
      dead_ = true;
      ev.kind = frame_event::closed;
      ev.text = std::string("connection lost: ") + amqp_error_string2(rc);
      return false;
    }
    ev = on_method(frame);
    return false;
  }
  dead_ = true;
  ev.kind = frame_event::closed;
  ev.text = r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION
              ? std::string("connection lost: ") + amqp_error_string2(r.library_error)
              : std::string("connection lost");
  return false;
}

} // namespace tradewind::topology::impl
