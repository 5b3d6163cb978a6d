#include "topology/impl/amqp_connection.hpp"

#include <sys/time.h>

#include <amqp_tcp_socket.h>

#include "config/redact.hpp"
#include "topology/url.hpp"

namespace tradewind::topology::impl {

namespace {

std::string bytes_text(amqp_bytes_t b) {
  return std::string(static_cast<const char*>(b.bytes), b.len);
}

} // namespace

amqp_connection::amqp_connection() : state_(amqp_new_connection()) {}

amqp_connection::~amqp_connection() {
  if (logged_in_ && !dead_) {
    if (channel_ != 0)
      amqp_channel_close(state_, channel_, AMQP_REPLY_SUCCESS);
    amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
  }
  amqp_destroy_connection(state_);
}

std::string amqp_connection::open(const std::string& url, const std::string& vhost, int timeout_ms) {
  std::string shown = tradewind::redact_url(url);
  std::string buffer = url; // amqp_parse_url decodes in place and points into the buffer
  amqp_connection_info info;
  amqp_default_connection_info(&info);
  if (amqp_parse_url(buffer.data(), &info) != AMQP_STATUS_OK)
    return "invalid AMQP URL " + shown + " (expected amqp://user:pass@host:port/)";
  where_ = std::string(info.host) + ":" + std::to_string(info.port) + " vhost \"" + vhost + "\"";
  amqp_socket_t* socket = amqp_tcp_socket_new(state_);
  if (!socket)
    return "AMQP " + where_ + ": cannot create a socket";
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  int status = amqp_socket_open_noblock(socket, info.host, info.port, &tv);
  if (status != AMQP_STATUS_OK) {
    dead_ = true;
    return "AMQP " + where_ + ": cannot connect: " + amqp_error_string2(status);
  }
  amqp_set_rpc_timeout(state_, &tv);
  amqp_rpc_reply_t r = amqp_login(state_, vhost.c_str(), 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, info.user, info.password);
  if (r.reply_type != AMQP_RESPONSE_NORMAL) {
    dead_ = true;
    if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_CONNECTION_CLOSED)
      return "AMQP " + where_ + ": login refused (check the user and password in the URL)";
    return describe(r, "login");
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
    case AMQP_RESPONSE_NORMAL: return "";
    case AMQP_RESPONSE_NONE: return prefix + "no reply";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: dead_ = true; return prefix + amqp_error_string2(r.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION: break;
  }
  if (r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
    auto* m = static_cast<amqp_channel_close_t*>(r.reply.decoded);
    std::string text = std::to_string(m->reply_code) + " " + bytes_text(m->reply_text);
    amqp_channel_close_ok_t ok{};
    amqp_send_method(state_, channel_, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
    std::string reopened = open_channel();
    return prefix + text + (reopened.empty() ? "" : " (" + reopened + ")");
  }
  if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
    auto* m = static_cast<amqp_connection_close_t*>(r.reply.decoded);
    std::string text = std::to_string(m->reply_code) + " " + bytes_text(m->reply_text);
    amqp_connection_close_ok_t ok{};
    amqp_send_method(state_, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
    dead_ = true;
    return prefix + text;
  }
  return prefix + "unexpected method " + std::to_string(r.reply.id);
}

std::string amqp_connection::check(const std::string& what) {
  if (dead_)
    return "AMQP " + where_ + ": " + what + ": the connection is closed";
  return describe(amqp_get_rpc_reply(state_), what);
}

void amqp_args::add(const std::string& key, const std::string& value) {
  entry e{key, value, {}};
  e.value.kind = AMQP_FIELD_KIND_UTF8;
  entries_.push_back(std::move(e));
}

void amqp_args::add(const std::string& key, int64_t value) {
  entry e{key, "", {}};
  e.value.kind = AMQP_FIELD_KIND_I64;
  e.value.value.i64 = value;
  entries_.push_back(std::move(e));
}

void amqp_args::add(const std::string& key, bool value) {
  entry e{key, "", {}};
  e.value.kind = AMQP_FIELD_KIND_BOOLEAN;
  e.value.value.boolean = value ? 1 : 0;
  entries_.push_back(std::move(e));
}

amqp_table_t amqp_args::table() {
  raw_.clear();
  for (auto& e : entries_) {
    amqp_table_entry_t t{};
    t.key = amqp_cstring_bytes(e.key.c_str());
    t.value = e.value;
    if (e.value.kind == AMQP_FIELD_KIND_UTF8)
      t.value.value.bytes = amqp_cstring_bytes(e.text.c_str());
    raw_.push_back(t);
  }
  amqp_table_t table;
  table.num_entries = static_cast<int>(raw_.size());
  table.entries = raw_.empty() ? nullptr : raw_.data();
  return table;
}

} // namespace tradewind::topology::impl
