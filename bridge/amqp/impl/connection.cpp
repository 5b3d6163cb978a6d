#include "bridge/amqp/impl/connection.hpp"

#include <sys/time.h>

#include <amqp_tcp_socket.h>

#include "config/redact.hpp"
#include "topology/url.hpp"

namespace tradewind::amqp::impl {

namespace {

constexpr amqp_channel_t channel = 1;

std::string text_of(amqp_bytes_t b) {
  return b.bytes == nullptr ? std::string{} : std::string(static_cast<const char*>(b.bytes), b.len);
}

amqp_bytes_t bytes_of(const std::string& s) {
  amqp_bytes_t b;
  b.len = s.size();
  b.bytes = const_cast<char*>(s.data());
  return b;
}

timeval to_timeval(int ms) {
  return timeval{ms / 1000, (ms % 1000) * 1000};
}

/// Header entries whose strings live as long as this object.
class header_table {
public:
  void add_text(const char* key, const std::string& value) {
    amqp_table_entry_t e{};
    e.key = amqp_cstring_bytes(key);
    e.value.kind = AMQP_FIELD_KIND_UTF8;
    e.value.value.bytes = bytes_of(value);
    entries_.push_back(e);
  }
  void add_int(const char* key, int64_t value) {
    amqp_table_entry_t e{};
    e.key = amqp_cstring_bytes(key);
    e.value.kind = AMQP_FIELD_KIND_I64;
    e.value.value.i64 = value;
    entries_.push_back(e);
  }
  void add_raw(const amqp_table_entry_t& e) { entries_.push_back(e); }
  amqp_table_t table() {
    amqp_table_t t;
    t.num_entries = static_cast<int>(entries_.size());
    t.entries = entries_.empty() ? nullptr : entries_.data();
    return t;
  }

private:
  std::vector<amqp_table_entry_t> entries_;
};

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

connection::~connection() {
  close();
}

void connection::close() {
  if (state_ == nullptr)
    return;
  if (logged_in_ && !dead_) {
    amqp_channel_close(state_, channel, AMQP_REPLY_SUCCESS);
    amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
  }
  amqp_destroy_connection(state_);
  state_ = nullptr;
  logged_in_ = false;
  dead_ = true;
}

std::string connection::open(const connection_options& opts) {
  close();
  state_ = amqp_new_connection();
  dead_ = false;
  std::string shown = tradewind::redact_url(opts.url);
  std::string buffer = opts.url; // amqp_parse_url decodes in place
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
    dead_ = true;
    if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_CONNECTION_CLOSED)
      return "AMQP " + where_ + ": login refused (check the user, password and vhost)";
    return "AMQP " + where_ + ": login failed";
  }
  logged_in_ = true;
  amqp_channel_open(state_, channel);
  return rpc_error("channel.open");
}

std::string connection::rpc_error(const std::string& what) {
  amqp_rpc_reply_t r = amqp_get_rpc_reply(state_);
  std::string prefix = "AMQP " + where_ + ": " + what + ": ";
  switch (r.reply_type) {
    case AMQP_RESPONSE_NORMAL: return {};
    case AMQP_RESPONSE_NONE: dead_ = true; return prefix + "no reply";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: dead_ = true; return prefix + amqp_error_string2(r.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION: break;
  }
  dead_ = true;
  if (r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
    auto* m = static_cast<amqp_channel_close_t*>(r.reply.decoded);
    amqp_channel_close_ok_t ok{};
    amqp_send_method(state_, channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
    return prefix + std::to_string(m->reply_code) + " " + text_of(m->reply_text);
  }
  if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
    auto* m = static_cast<amqp_connection_close_t*>(r.reply.decoded);
    amqp_connection_close_ok_t ok{};
    amqp_send_method(state_, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
    return prefix + std::to_string(m->reply_code) + " " + text_of(m->reply_text);
  }
  return prefix + "unexpected method " + std::to_string(r.reply.id);
}

std::string connection::enable_confirms() {
  amqp_confirm_select(state_, channel);
  return rpc_error("confirm.select");
}

std::string connection::set_prefetch(int prefetch) {
  amqp_basic_qos(state_, channel, 0, static_cast<uint16_t>(prefetch), 0);
  return rpc_error("basic.qos");
}

std::string connection::start_consuming(const std::string& queue, const std::string& tag,
                                        std::optional<int64_t> stream_offset) {
  const std::string first = "first"; // the table points into it until the call returns
  header_table args;
  if (stream_offset && *stream_offset > 0)
    args.add_int("x-stream-offset", *stream_offset);
  else if (stream_offset)
    args.add_text("x-stream-offset", first);
  amqp_basic_consume(state_, channel, bytes_of(queue), bytes_of(tag), 0, 0, 0, args.table());
  return rpc_error("basic.consume " + queue
                   + (stream_offset ? " from offset " + std::to_string(*stream_offset) : std::string{}));
}

std::string connection::publish(const outgoing& m, const std::map<std::string, std::string>& extra) {
  if (!is_open())
    return "AMQP " + where_ + ": not connected";
  header_table headers;
  headers.add_text(header::message_type, m.type);
  headers.add_int(header::schema_version, m.schema_version);
  headers.add_text(header::origin_node, m.origin_node);
  headers.add_text(header::trace_id, m.trace_id);
  headers.add_int(header::sent_at_ms, m.sent_at_ms);
  for (const auto& [k, v] : extra)
    headers.add_text(k.c_str(), v);
  amqp_basic_properties_t props{};
  props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_HEADERS_FLAG
                 | AMQP_BASIC_MESSAGE_ID_FLAG | AMQP_BASIC_TIMESTAMP_FLAG | AMQP_BASIC_TYPE_FLAG;
  props.content_type = amqp_cstring_bytes(m.content_type);
  props.delivery_mode = m.persistent ? 2 : 1;
  props.headers = headers.table();
  props.message_id = bytes_of(m.message_id);
  props.timestamp = static_cast<uint64_t>(m.sent_at_ms / 1000);
  props.type = bytes_of(m.type);
  int rc = amqp_basic_publish(state_, channel, bytes_of(m.exchange), bytes_of(m.routing_key), 1, 0, &props,
                              bytes_of(m.body));
  if (rc != AMQP_STATUS_OK) {
    dead_ = true;
    return "AMQP " + where_ + ": basic.publish: " + amqp_error_string2(rc);
  }
  return {};
}

std::string connection::republish(const delivery& d, const std::string& exchange, const std::string& key,
                                  const std::map<std::string, std::string>& extra) {
  amqp_basic_properties_t props = d.envelope.message.properties;
  header_table headers;
  if (props._flags & AMQP_BASIC_HEADERS_FLAG)
    for (int i = 0; i < props.headers.num_entries; ++i)
      if (extra.count(text_of(props.headers.entries[i].key)) == 0)
        headers.add_raw(props.headers.entries[i]);
  for (const auto& [k, v] : extra)
    headers.add_text(k.c_str(), v);
  props._flags |= AMQP_BASIC_HEADERS_FLAG;
  props.headers = headers.table();
  int rc = amqp_basic_publish(state_, channel, bytes_of(exchange), bytes_of(key), 0, 0, &props,
                              d.envelope.message.body);
  if (rc != AMQP_STATUS_OK) {
    dead_ = true;
    return "AMQP " + where_ + ": basic.publish (dead letter): " + amqp_error_string2(rc);
  }
  return {};
}

std::string connection::ack(uint64_t delivery_tag) {
  int rc = amqp_basic_ack(state_, channel, delivery_tag, 0);
  if (rc != AMQP_STATUS_OK) {
    dead_ = true;
    return "AMQP " + where_ + ": basic.ack: " + amqp_error_string2(rc);
  }
  return {};
}

std::string connection::reject(uint64_t delivery_tag) {
  int rc = amqp_basic_reject(state_, channel, delivery_tag, 0);
  if (rc != AMQP_STATUS_OK) {
    dead_ = true;
    return "AMQP " + where_ + ": basic.reject: " + amqp_error_string2(rc);
  }
  return {};
}

frame_event connection::on_method(const amqp_frame_t& frame) {
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
      amqp_send_method(state_, channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
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

frame_event connection::poll(int timeout_ms) {
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

bool connection::consume(int timeout_ms, delivery& d, frame_event& ev) {
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
    d.origin_node = header_text(env.message.properties, header::origin_node);
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

} // namespace tradewind::amqp::impl
