#include "tools/db_cmd.hpp"

#include "actors/storage/store.hpp"
#include "config/loader.hpp"
#include "net/redact.hpp"

namespace tradewind {

namespace {

/// The store section to use, or nullopt after printing why there is none.
std::optional<store_config> store_of(const db_cmd_options& opt) {
  store_config cfg;
  if (!opt.config_path.empty()) {
    auto res = load_config_file(opt.config_path, environment_overrides());
    if (!res.config) {
      *opt.err << "tradewind db: " << res.errors.size() << " configuration error"
               << (res.errors.size() == 1 ? "" : "s") << ":\n"
               << format_errors(res.errors, opt.config_path);
      return std::nullopt;
    }
    cfg = res.config->store;
  }
  if (!opt.url.empty())
    cfg.url = opt.url;
  else if (opt.config_path.empty()) {
    *opt.err << "tradewind db: name the store with --config FILE or --url URL\n";
    return std::nullopt;
  }
  return cfg;
}

int status(const store_config& cfg, const db_cmd_options& opt) {
  auto shown = redact_url(cfg.url);
  auto st = read_schema_status(cfg);
  if (!st) {
    *opt.err << "tradewind db status: " << st.error() << "\n";
    return db_exit_error;
  }
  auto [current, latest] = st.value();
  *opt.out << "store " << shown << ": schema version " << current << ", this build " << latest;
  if (current == latest) {
    *opt.out << " (up to date)\n";
    return db_exit_ok;
  }
  if (current < latest)
    *opt.out << " (" << latest - current << " migration" << (latest - current == 1 ? "" : "s")
             << " pending; run `tradewind db migrate`)\n";
  else
    *opt.out << " (the database is newer than this build; upgrade Tradewind)\n";
  return db_exit_pending;
}

int migrate(const store_config& cfg, const db_cmd_options& opt) {
  auto shown = redact_url(cfg.url);
  auto before = read_schema_status(cfg);
  if (!before) {
    *opt.err << "tradewind db migrate: " << before.error() << "\n";
    return db_exit_error;
  }
  auto after = migrate_store(cfg, opt.target_version);
  if (!after) {
    *opt.err << "tradewind db migrate: " << after.error() << "\n";
    return db_exit_error;
  }
  if (after.value().current == before.value().current)
    *opt.out << "store " << shown << ": already at version " << after.value().current << "\n";
  else
    *opt.out << "store " << shown << ": migrated from version " << before.value().current
             << " to " << after.value().current << "\n";
  return db_exit_ok;
}

} // namespace

int run_db_command(const std::string& verb, const db_cmd_options& options) {
  if (verb != "migrate" && verb != "status") {
    *options.err << "tradewind db: unknown command '" << verb << "' (expected migrate or status)\n";
    return db_exit_usage;
  }
  auto cfg = store_of(options);
  if (!cfg)
    return db_exit_usage;
  return verb == "migrate" ? migrate(*cfg, options) : status(*cfg, options);
}

} // namespace tradewind
