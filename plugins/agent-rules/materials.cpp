#include "materials.hpp"

#include <algorithm>

namespace p2j::agent_rules {
namespace {

constexpr std::string_view kStandardGrade = "standard";
constexpr size_t kGradeReach = 2;  // "grade 50 steel", "concrete grade 40", "6061 aluminum"

std::string upperCase(std::string_view text) {
  std::string upper(text);
  for (auto& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return upper;
}

// The grade written at token `k` for `type`, if any.
std::optional<std::string> gradeAt(const std::vector<Token>& tokens, size_t k, std::string_view type) {
  const Token& token = tokens[k];
  const Token* next = k + 1 < tokens.size() ? &tokens[k + 1] : nullptr;
  for (const auto& rule : gradeRules()) {
    if (rule.materialType != type) continue;
    switch (rule.form) {
      case GradeForm::Word:
        if (token.text == rule.word) return upperCase(token.text);
        break;
      case GradeForm::LetterCode:
        if (token.kind == TokenKind::Word && token.text == rule.word && next != nullptr &&
            next->kind == TokenKind::Number && next->glued) {
          return upperCase(token.text) + std::string(next->text);
        }
        break;
      case GradeForm::GradeNumber:
        if (token.text == "grade" && next != nullptr && next->kind == TokenKind::Number) {
          return "GRADE " + std::string(next->text);
        }
        break;
    }
  }
  return std::nullopt;
}

// Looks on both sides of the material words, within the same phrase.
std::string gradeNear(const Analysis& analysis, const TermMatch& match, std::string_view type) {
  const auto& t = analysis.tokens();
  for (size_t back = 1; back <= kGradeReach + 1 && back <= match.begin; ++back) {
    const size_t k = match.begin - back;
    if (analysis.endsPhrase(k + 1)) break;
    if (auto grade = gradeAt(t, k, type)) return *grade;
  }
  for (size_t k = match.end; k < t.size() && k < match.end + kGradeReach; ++k) {
    if (analysis.endsPhrase(k)) break;
    if (auto grade = gradeAt(t, k, type)) return *grade;
  }
  return std::string(kStandardGrade);
}

}  // namespace

std::vector<sdk::Material> readMaterials(const Analysis& analysis, std::string_view designType) {
  std::vector<sdk::Material> materials;
  for (const auto& match : analysis.matches()) {
    if (!match.entry->material) continue;
    const MaterialSense& sense = *match.entry->material;
    std::string grade = sense.grade.empty() ? gradeNear(analysis, match, sense.type) : std::string(sense.grade);
    const auto same =
        std::find_if(materials.begin(), materials.end(), [&](const sdk::Material& m) { return m.type == sense.type; });
    if (same == materials.end()) {
      materials.push_back({std::string(sense.type), std::move(grade), "{}"});
    } else if (same->grade == kStandardGrade) {
      same->grade = std::move(grade);  // "wooden table with oak legs": the named species is the grade
    }
  }
  if (materials.empty()) {
    materials.push_back({std::string(defaultMaterial(designType)), std::string(kStandardGrade), "{}"});
  }
  return materials;
}

}  // namespace p2j::agent_rules
