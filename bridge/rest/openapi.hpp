#pragma once
// The OpenAPI 3 description of the REST API, served at /api/v1/openapi.json. Its `paths` are
// written from the route table (routes/route.hpp: pattern, method, scope and each route's
// route_doc), so the document lists exactly the routes api::handle serves under /api/v1; the
// shared schemas (components) are written here.

#include <string>

namespace tradewind::rest {

/// The OpenAPI 3.0.3 document as compact JSON text.
const std::string& openapi_document();

} // namespace tradewind::rest
