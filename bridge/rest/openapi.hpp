#pragma once
// The OpenAPI 3 description of the REST API, served at /api/v1/openapi.json. Written by
// hand (not derived from the route table) so that tests/bridge can compare the two.

#include <string>

namespace tradewind::rest {

/// The OpenAPI 3.0.3 document as compact JSON text.
const std::string& openapi_document();

} // namespace tradewind::rest
