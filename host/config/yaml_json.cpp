#include "config/yaml_json.hpp"

#include <p2j/sdk/json.hpp>

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdlib>
#include <set>

namespace p2j::config {
namespace {

SourceMark markOf(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {};
  return {mark.line + 1, mark.column + 1};
}

bool parseInteger(const std::string& text, int64_t& value) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  const long long parsed = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || end != text.c_str() + text.size()) return false;
  value = parsed;
  return true;
}

bool parseFloat(const std::string& text, double& value) {
  if (text.empty() || text.find_first_of("0123456789") == std::string::npos) return false;
  errno = 0;
  char* end = nullptr;
  const double parsed = std::strtod(text.c_str(), &end);
  if (errno != 0 || end != text.c_str() + text.size()) return false;
  value = parsed;
  return true;
}

void writeScalar(const YAML::Node& node, const std::string& text, sdk::JsonWriter& writer) {
  if (node.Tag() == "!") {  // quoted: always a string
    sdk::writeString(writer, text);
    return;
  }
  static const std::set<std::string> kNull = {"", "~", "null", "Null", "NULL"};
  static const std::set<std::string> kTrue = {"true", "True", "TRUE"};
  static const std::set<std::string> kFalse = {"false", "False", "FALSE"};
  int64_t integer = 0;
  double number = 0;
  if (kNull.contains(node.Scalar())) {
    writer.Null();
  } else if (kTrue.contains(text)) {
    writer.Bool(true);
  } else if (kFalse.contains(text)) {
    writer.Bool(false);
  } else if (parseInteger(text, integer)) {
    writer.Int64(integer);
  } else if (parseFloat(text, number)) {
    writer.Double(number);
  } else {
    sdk::writeString(writer, text);
  }
}

void convert(const YAML::Node& node, const std::string& path, const EnvironmentLookup& environment,
             std::map<std::string, SourceMark>& marks, sdk::JsonWriter& writer) {
  marks[path] = markOf(node);
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      writer.StartObject();
      std::set<std::string> seen;
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) throw YamlJsonError(markOf(entry.first), "keys must be strings");
        const std::string key = entry.first.Scalar();
        if (!seen.insert(key).second) throw YamlJsonError(markOf(entry.first), "duplicate key '" + key + "'");
        sdk::writeKey(writer, key);
        convert(entry.second, path.empty() ? key : path + "." + key, environment, marks, writer);
      }
      writer.EndObject();
      break;
    }
    case YAML::NodeType::Sequence:
      writer.StartArray();
      for (size_t i = 0; i < node.size(); ++i) {
        convert(node[i], path + "[" + std::to_string(i) + "]", environment, marks, writer);
      }
      writer.EndArray();
      break;
    case YAML::NodeType::Scalar:
      try {
        writeScalar(node, expandEnvironment(node.Scalar(), environment), writer);
      } catch (const ExpansionError& e) {
        throw YamlJsonError(markOf(node), e.what());
      }
      break;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      writer.Null();
      break;
  }
}

}  // namespace

std::string yamlToJson(const YAML::Node& node, const EnvironmentLookup& environment,
                       std::map<std::string, SourceMark>& marks) {
  rapidjson::StringBuffer buffer;
  sdk::JsonWriter writer(buffer);
  convert(node, "", environment, marks, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace p2j::config
