#include "spec_validator.hpp"

#include "strict_schema.hpp"

#include <p2j/sdk/json.hpp>

#include <valijson/adapters/rapidjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace p2j::agent_openai {
namespace {

// What the model is told is bounded: a long message would only spend the repair round's tokens.
constexpr size_t kMaxErrorBytes = 300;

std::string bounded(std::string text) {
  if (text.size() > kMaxErrorBytes) {
    size_t cut = kMaxErrorBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
    text.resize(cut);
    text += "...";
  }
  return text;
}

// valijson's context is ["<root>", "[materials]", "[0]", "[type]"]; the model reads "materials[0].type".
std::string pathFromContext(const std::vector<std::string>& context) {
  std::string path;
  for (const auto& part : context) {
    if (part == "<root>" || part.size() < 2) continue;
    const std::string inner = part.substr(1, part.size() - 2);
    const bool is_index = !inner.empty() && inner.find_first_not_of("0123456789") == std::string::npos;
    if (is_index) {
      path += part;
    } else {
      path += (path.empty() ? "" : ".") + inner;
    }
  }
  return path.empty() ? "the answer" : path;
}

std::unique_ptr<valijson::Schema> compile(const rapidjson::Value& schema) {
  auto compiled = std::make_unique<valijson::Schema>();
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::RapidJsonAdapter adapter(schema);
  parser.populateSchema(adapter, *compiled);
  return compiled;
}

// The answer's first problem, or an empty string when it matches `schema`.
std::string firstProblem(const valijson::Schema& schema, const rapidjson::Value& answer) {
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::RapidJsonAdapter adapter(answer);
  if (validator.validate(schema, adapter, &results)) return "";
  // The deepest error is the most specific ("materials[0].type: ..." rather than "object invalid").
  std::string best = "the answer does not match the design spec schema";
  size_t best_depth = 0;
  bool found = false;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    if (!found || error.context.size() > best_depth) {
      best = pathFromContext(error.context) + ": " + error.description;
      best_depth = error.context.size();
      found = true;
    }
  }
  return bounded(best);
}

}  // namespace

SpecValidator::SpecValidator(std::string_view design_schema_json) : schema_(sdk::parseJson(design_schema_json)) {
  rapidjson::Document fields;
  fields.CopyFrom(schema_, fields.GetAllocator());
  for (const char* relation : {"allOf", "anyOf", "oneOf", "not", "if", "then", "else"}) fields.RemoveMember(relation);
  fields_ = compile(fields);
  full_ = compile(schema_);
  strict_schema_json_ = sdk::toJsonText(strictSchema(schema_, {kOwnedProperty}));
}

SpecValidator::~SpecValidator() = default;

SpecCheck SpecValidator::check(std::string_view content, const std::string& timestamp) const {
  rapidjson::Document answer;
  try {
    answer = sdk::parseJson(content);
  } catch (const sdk::JsonSyntaxError& e) {
    return {std::nullopt, bounded(std::string("the answer is not JSON (") + e.what() + ")")};
  }
  if (!answer.IsObject()) return {std::nullopt, "the answer must be one JSON object"};
  restoreOpenObjects(answer, schema_, answer.GetAllocator());
  answer.RemoveMember(kOwnedProperty);
  answer.AddMember(
      rapidjson::StringRef(kOwnedProperty),
      rapidjson::Value(timestamp.data(), static_cast<rapidjson::SizeType>(timestamp.size()), answer.GetAllocator()),
      answer.GetAllocator());

  // Each field on its own first, the rules between fields (stories only for buildings) after: the repair
  // round should name the field that is wrong, not a rule it only breaks because of that.
  for (const valijson::Schema* schema : {fields_.get(), full_.get()}) {
    std::string problem = firstProblem(*schema, answer);
    if (!problem.empty()) return {std::nullopt, std::move(problem)};
  }
  try {
    return {sdk::designSpecFromJson(answer), ""};
  } catch (const sdk::FieldError& e) {
    return {std::nullopt, bounded(e.what())};
  }
}

}  // namespace p2j::agent_openai
