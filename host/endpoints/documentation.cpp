// GET /openapi.json (the OpenAPI 3.1 document of this server's endpoint table), GET /docs (Swagger UI) and
// GET /redoc (ReDoc). The pages are generated at start-up around the files the web_assets endpoint serves,
// so they load nothing from elsewhere.
#include "endpoints/action.hpp"
#include "endpoints/openapi_document.hpp"
#include "endpoints/web_assets.hpp"
#include "http/http_error.hpp"
#include "observability/logging.hpp"
#include "plugins/auth_plugin.hpp"

#include <p2j/sdk/json.hpp>

#include <Poco/Base64Encoder.h>
#include <Poco/SHA2Engine.h>

#include <sstream>

namespace p2j::endpoints {
namespace {

constexpr std::string_view kDocumentSchema =
    R"json({"type": "object", "required": ["openapi", "info", "paths"], "description": "An OpenAPI 3.1 document",
            "properties": {"openapi": {"type": "string"}, "info": {"type": "object"}, "paths": {"type": "object"}}})json";
constexpr std::string_view kPageSchema = R"json({"type": "string", "description": "An HTML page"})json";

// The path of the first GET endpoint wired to `action` (validateEndpoints made sure there is one).
const config::EndpointConfig& endpointOf(const config::Config& config, const std::string& action) {
  for (const auto& endpoint : config.endpoints) {
    if (endpoint.action == action && endpoint.method == "GET") return endpoint;
  }
  throw config::ConfigError(config.file, {}, "no GET endpoint is wired to action '" + action + "'");
}

// `target` relative to the page at `page`, so the pages keep working behind a proxy that serves this
// server under a path prefix.
std::string relativeUrl(const std::string& page, const std::string& target) {
  const size_t depth = static_cast<size_t>(std::count(page.begin(), page.end(), '/')) - 1;
  std::string out;
  for (size_t i = 0; i < depth; ++i) out += "../";
  out += target.substr(1);
  return out.empty() ? "./" : out;
}

std::string jsonString(std::string_view value) {
  rapidjson::StringBuffer buffer;
  sdk::JsonWriter writer(buffer);
  sdk::writeString(writer, value);
  return {buffer.GetString(), buffer.GetSize()};
}

std::string sha256Base64(std::string_view text) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(text.data(), static_cast<unsigned>(text.size()));
  const auto digest = sha.digest();
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
  encoder.close();
  return out.str();
}

// A scheme as the auth plugin instance presents it: its challenge to a request without credentials says
// which scheme and header it reads (RFC 7235), its plugin's description says what it is.
SecurityScheme probeScheme(const ActionContext& context, const std::string& name) {
  const auto auth = context.plugins.get<plugins::AuthPlugin>(name);
  std::optional<SecurityScheme> scheme;
  try {
    scheme = securitySchemeFromChallenge(auth->authenticate(sdk::AuthRequest{"GET", "/", "127.0.0.1", {}}).challenge);
  } catch (const std::exception& e) {
    observability::log(observability::Log::kApplication)
        .warn(
            "auth instance '{}' did not answer a request without credentials ({}): /openapi.json cannot "
            "say which header it reads",
            name, e.what());
  }
  if (!scheme) scheme = SecurityScheme{SecurityScheme::Type::kHttp, auth->info().name, {}, {}};
  scheme->description = auth->info().description;
  for (const auto& endpoint : context.config.endpoints) {
    const auto issuer = endpoint.settings.find("issuer");
    if (endpoint.action == "token" && issuer != endpoint.settings.end() && issuer->second.value == name) {
      scheme->description += ". Tokens: " + endpoint.method + " " + endpoint.path + " with a username and password";
    }
  }
  return *scheme;
}

http::Response cachedByEtag(const http::Request& request, const std::string& body, const std::string& etag,
                            std::string content_type) {
  http::Response response;
  response.content_type = std::move(content_type);
  response.headers = {{"ETag", etag}, {"Cache-Control", "no-cache"}, {"X-Content-Type-Options", "nosniff"}};
  const auto if_none_match = request.header ? request.header("If-None-Match") : std::nullopt;
  if (if_none_match && matchesEtag(*if_none_match, etag)) {
    response.status = 304;
  } else {
    response.body = body;
  }
  return response;
}

class OpenApiAction : public Action {
 public:
  explicit OpenApiAction(const ActionSetup& setup)
      : document_(buildOpenApiDocument(setup.context.config,
                                       [&](const std::string& name) { return probeScheme(setup.context, name); })),
        etag_(entityTag(document_)) {}

  http::Response handle(http::Request& request) const override {
    return cachedByEtag(request, document_, etag_, "application/json");
  }

 private:
  std::string document_;
  std::string etag_;
};

// What a documentation page needs: the document's URL, the asset files' URL, and whether its files are
// installed.
struct PageSetup {
  std::string page_path;
  std::string document_url;
  std::string assets_url;  // ends with '/'
  std::string missing;     // the file that is not installed, empty when all are
};

PageSetup pageSetup(const ActionSetup& setup, const std::vector<std::string>& files) {
  const config::Config& config = setup.context.config;
  const config::EndpointConfig& assets = endpointOf(config, "web_assets");
  PageSetup page;
  page.page_path = setup.endpoint.path;
  page.document_url = relativeUrl(page.page_path, endpointOf(config, "openapi").path);
  const std::string assets_path = assets.path.substr(0, assets.path.rfind('/') + 1);
  page.assets_url = relativeUrl(page.page_path, assets_path);
  const std::filesystem::path directory = webAssetsDirectory(assets, config.base_dir);
  for (const auto& file : files) {
    if (!std::filesystem::is_regular_file(directory / file)) {
      page.missing = (directory / file).string();
      break;
    }
  }
  return page;
}

class DocumentationPageAction : public Action {
 public:
  DocumentationPageAction(std::string product, PageSetup page, std::string html, std::string script_hashes,
                          std::string extra_sources)
      : product_(std::move(product)), page_(std::move(page)), html_(std::move(html)), etag_(entityTag(html_)) {
    // Only this page's own script and the server's files run; nothing is loaded from elsewhere.
    csp_ = "default-src 'none'; script-src 'self'" + script_hashes +
           "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'" +
           extra_sources + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    if (!page_.missing.empty()) {
      observability::log(observability::Log::kApplication)
          .warn("GET {}: {} is not installed (no {}): the page answers 404", page_.page_path, product_, page_.missing);
    }
  }

  http::Response handle(http::Request& request) const override {
    if (!page_.missing.empty()) {
      throw http::notFound(product_ +
                           " is not installed on this server: p2j was built without its npm package; the API "
                           "description is still at " +
                           page_.document_url);
    }
    http::Response response = cachedByEtag(request, html_, etag_, "text/html; charset=utf-8");
    response.headers.emplace_back("Content-Security-Policy", csp_);
    response.headers.emplace_back("Referrer-Policy", "no-referrer");
    return response;
  }

 private:
  std::string product_;
  PageSetup page_;
  std::string html_;
  std::string etag_;
  std::string csp_;
};

std::unique_ptr<Action> swaggerUiPage(const ActionSetup& setup) {
  PageSetup page = pageSetup(setup, {"swagger-ui-bundle.js", "swagger-ui.css"});
  const std::string script = "window.ui = SwaggerUIBundle({url: " + jsonString(page.document_url) +
                             ", dom_id: \"#swagger-ui\", deepLinking: true, validatorUrl: null, "
                             "displayRequestDuration: true, presets: [SwaggerUIBundle.presets.apis], "
                             "layout: \"BaseLayout\"});";
  const std::string html =
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>p2j API: Swagger UI</title>\n<link rel=\"icon\" type=\"image/png\" href=\"" +
      page.assets_url + "favicon-32x32.png\">\n<link rel=\"stylesheet\" href=\"" + page.assets_url +
      "swagger-ui.css\">\n</head>\n<body>\n<div id=\"swagger-ui\"></div>\n" + "<script src=\"" + page.assets_url +
      "swagger-ui-bundle.js\"></script>\n<script>" + script + "</script>\n</body>\n</html>\n";
  return std::make_unique<DocumentationPageAction>("Swagger UI", std::move(page), html,
                                                   " 'sha256-" + sha256Base64(script) + "'", "");
}

std::unique_ptr<Action> redocPage(const ActionSetup& setup) {
  PageSetup page = pageSetup(setup, {"redoc.standalone.js"});
  const std::string html =
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>p2j API: ReDoc</title>\n<link rel=\"icon\" type=\"image/png\" href=\"" +
      page.assets_url + "favicon-32x32.png\">\n</head>\n<body>\n<redoc spec-url=\"" + page.document_url +
      "\"></redoc>\n<script src=\"" + page.assets_url + "redoc.standalone.js\"></script>\n</body>\n</html>\n";
  // ReDoc runs its search index in a worker it starts from a blob: URL.
  return std::make_unique<DocumentationPageAction>("ReDoc", std::move(page), html, "", "; worker-src blob:");
}

}  // namespace

std::vector<ActionDescriptor> documentationActions() {
  return {
      {.name = "openapi",
       .summary = "This API's OpenAPI 3.1 description, built from the endpoint table at start-up",
       .public_by_default = true,
       .api = {.tag = "Documentation",
               .responses = {{200, "The OpenAPI document", kDocumentSchema},
                             {304, "Not modified: If-None-Match names the current ETag"}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<OpenApiAction>(setup); }},
      {.name = "swagger_ui",
       .summary = "Swagger UI on this API's OpenAPI document: read it and try the endpoints",
       .public_by_default = true,
       .needs_actions = {"openapi", "web_assets"},
       .api = {.tag = "Documentation",
               .responses = {{200, "The page", kPageSchema, "text/html"},
                             {304, "Not modified: If-None-Match names the current ETag"},
                             {404, "Swagger UI's files are not installed on this server"}}},
       .make = swaggerUiPage},
      {.name = "redoc",
       .summary = "ReDoc on this API's OpenAPI document: the reference to read",
       .public_by_default = true,
       .needs_actions = {"openapi", "web_assets"},
       .api = {.tag = "Documentation",
               .responses = {{200, "The page", kPageSchema, "text/html"},
                             {304, "Not modified: If-None-Match names the current ETag"},
                             {404, "ReDoc's files are not installed on this server"}}},
       .make = redocPage},
  };
}

}  // namespace p2j::endpoints
