#pragma once
// The dashboard page (dashboard.html, embedded at build time): one static file, no build step.

#include <string>

namespace tradewind::rest {

/// The HTML text of the dashboard.
const std::string& dashboard_html();

} // namespace tradewind::rest
