#include "measurements.hpp"

#include <array>
#include <cmath>

namespace p2j::agent_rules {
namespace {

constexpr size_t kMaxFillers = 4;
constexpr size_t kWheelReach = 3;   // "18-inch alloy wheels"
constexpr size_t kScreenReach = 4;  // "55-inch 4K smart TV"

bool isLinear(Dimension d) {
  return d == Dimension::Length || d == Dimension::Width || d == Dimension::Height || d == Dimension::Depth ||
         d == Dimension::Diameter;
}

std::optional<int64_t> storyCount(double value) {
  if (value < 1 || value > 1000 || value != std::floor(value)) return std::nullopt;
  return static_cast<int64_t>(value);
}

class MeasurementReader {
 public:
  MeasurementReader(const Analysis& analysis, const UnitIndex& units, std::string_view designType,
                    sdk::Dimensions& dimensions, sdk::Performance& performance)
      : analysis_(analysis),
        tokens_(analysis.tokens()),
        units_(units),
        electronics_(designType == "electronics"),
        dimensions_(dimensions),
        performance_(performance) {}

  void run() {
    size_t i = 0;
    while (i < tokens_.size()) {
      if (const auto afterLabelled = readLabelled(i)) {
        i = *afterLabelled;
      } else if (const auto quantity = units_.quantityAt(tokens_, i)) {
        const auto afterSize = isSizeSeparator(quantity->end) ? readSize(i) : std::nullopt;
        i = afterSize ? *afterSize : readQuantity(*quantity);
      } else {
        ++i;
      }
    }
    if (dimensions_.length && dimensions_.width && !dimensions_.area) {
      dimensions_.area = *dimensions_.length * *dimensions_.width;
    }
  }

 private:
  // "height of 10 m", "weighing 12 tons", "width: 8", "screen size of 15 inches".
  std::optional<size_t> readLabelled(size_t i) {
    if (tokens_[i].kind != TokenKind::Word) return std::nullopt;
    const auto dimension = dimensionNoun(tokens_[i].text);
    if (!dimension) return std::nullopt;
    size_t j = i + 1;
    while (j < tokens_.size() && j - i <= kMaxFillers && measureFillers().contains(tokens_[j].text)) ++j;
    const auto quantity = units_.quantityAt(tokens_, j);
    if (!quantity) return std::nullopt;
    const UnitTerm* unit = quantity->unit;
    if (unit == nullptr && !standsAlone(*quantity)) return std::nullopt;
    const auto kindIs = [&](UnitKind kind) { return unit == nullptr || unit->kind == kind; };
    switch (*dimension) {
      case Dimension::Area:
        if (!kindIs(UnitKind::Area)) return std::nullopt;
        break;
      case Dimension::Volume:
        if (!kindIs(UnitKind::Volume)) return std::nullopt;
        break;
      case Dimension::Weight:
        if (!kindIs(UnitKind::Mass)) return std::nullopt;
        break;
      case Dimension::ScreenSize:
        if (unit == nullptr || unit->symbol != "in") return std::nullopt;
        setScreen(quantity->value);
        return quantity->end;
      default:
        if (!kindIs(UnitKind::Length)) return std::nullopt;
    }
    set(*dimension, quantity->si());
    return quantity->end;
  }

  // A number with no unit counts only when nothing that could be its unit follows: "height of 10" but not
  // "height of 5 floors".
  bool standsAlone(const Quantity& quantity) const {
    const size_t next = quantity.numberEnd;
    return next >= tokens_.size() || tokens_[next].kind != TokenKind::Word ||
           phraseBoundaryWords().contains(tokens_[next].text);
  }

  bool isSizeSeparator(size_t i) const {
    if (i + 1 >= tokens_.size() || !numberAt(tokens_, i + 1)) return false;
    const std::string_view text = tokens_[i].text;
    return text == "x" || text == "by" || text == "×" || text == "*";
  }

  // "30 x 20 m", "10 m by 7 m", "6ft x 3ft", "20x15x10 m": length, width (and height).
  std::optional<size_t> readSize(size_t i) {
    std::array<Quantity, 3> parts;
    size_t count = 0;
    size_t j = i;
    while (count < parts.size()) {
      const auto quantity = units_.quantityAt(tokens_, j);
      if (!quantity) break;
      parts[count++] = *quantity;
      j = quantity->end;
      if (count == parts.size() || !isSizeSeparator(j)) break;
      ++j;
    }
    if (count < 2) return std::nullopt;
    // A unit written once covers the numbers before it ("30 x 20 m") and after it ("6 m x 3").
    const UnitTerm* carried = nullptr;
    for (size_t k = count; k-- > 0;) {
      if (parts[k].unit == nullptr) parts[k].unit = carried;
      carried = parts[k].unit;
    }
    for (size_t k = 1; k < count; ++k) {
      if (parts[k].unit == nullptr) parts[k].unit = parts[k - 1].unit;
    }
    if (parts[0].unit == nullptr) {
      if (!followsSizeWord(i)) return std::nullopt;
    } else {
      for (size_t k = 0; k < count; ++k) {
        if (parts[k].unit->kind != UnitKind::Length) return std::nullopt;
      }
    }
    constexpr Dimension order[] = {Dimension::Length, Dimension::Width, Dimension::Height};
    for (size_t k = 0; k < count; ++k) set(order[k], parts[k].si());
    return j;
  }

  // "dimensions: 30 x 20", "measuring 30 by 20": no unit, yet plainly a size in metres.
  bool followsSizeWord(size_t i) const {
    for (size_t back = 1; back <= 2 && back <= i; ++back) {
      const Token& token = tokens_[i - back];
      if (token.kind == TokenKind::Word && sizeContextWords().contains(token.text)) return true;
    }
    return false;
  }

  size_t readQuantity(const Quantity& quantity) {
    const size_t next = quantity.end;
    if (quantity.unit == nullptr) {
      // "30 in length": with no unit, "in" is the preposition.
      if (analysis_.isWord(next, "in") && next + 1 < tokens_.size()) {
        const auto dimension = dimensionNoun(tokens_[next + 1].text);
        if (dimension && isLinear(*dimension)) {
          set(*dimension, quantity.value);
          return next + 2;
        }
      }
      return next;
    }
    switch (quantity.unit->kind) {
      case UnitKind::Length:
        return readLength(quantity);
      case UnitKind::Area:
        set(Dimension::Area, quantity.si());
        break;
      case UnitKind::Volume:
        set(Dimension::Volume, quantity.si());
        break;
      case UnitKind::Mass:
        if (carriesLoad(quantity)) {
          setOnce(performance_.capacity, quantity);
        } else {
          set(Dimension::Weight, quantity.si());
        }
        break;
      case UnitKind::Power:
        setOnce(performance_.power, quantity);
        break;
      case UnitKind::Capacity:
        setOnce(performance_.capacity, quantity);
        break;
      case UnitKind::Speed:
        setOnce(performance_.speed, quantity);
        break;
      case UnitKind::Efficiency:
        setOnce(performance_.efficiency, quantity);
        break;
    }
    return next;
  }

  // "30m long", "2 m in diameter", "26-inch wheels", "15-inch laptop"; a bare length ("a 500 km range")
  // says nothing about the object's size.
  size_t readLength(const Quantity& quantity) {
    const size_t next = quantity.end;
    if (next < tokens_.size() && tokens_[next].kind == TokenKind::Word) {
      const std::string_view word = tokens_[next].text;
      const bool compound = next + 1 < tokens_.size() && tokens_[next + 1].hyphenated;  // "high-end"
      if (const auto adjective = dimensionAdjective(word); adjective && !compound) {
        set(*adjective, quantity.si());
        return next + 1;
      }
      const size_t nounAt = word == "in" ? next + 1 : next;
      if (nounAt < tokens_.size()) {
        if (const auto noun = dimensionNoun(tokens_[nounAt].text); noun && isLinear(*noun)) {
          set(*noun, quantity.si());
          return nounAt + 1;
        }
      }
    }
    if (nearbyWord(next, kWheelReach, wheelWords())) {
      set(Dimension::Diameter, quantity.si());
    } else if (quantity.unit->symbol == "in" && (electronics_ || nearbyWord(next, kScreenReach, screenWords()))) {
      setScreen(quantity.value);
    }
    return next;
  }

  // Whether one of `words` comes within `reach` tokens of `from`, inside the same noun phrase.
  bool nearbyWord(size_t from, size_t reach, const WordSet& words) const {
    for (size_t k = from; k < tokens_.size() && k < from + reach; ++k) {
      if (analysis_.endsPhrase(k)) return false;
      if (tokens_[k].kind == TokenKind::Word && words.contains(tokens_[k].text)) return true;
    }
    return false;
  }

  // "a payload of 2 tons", "supports 150 kg", "8 kg capacity": what it carries, not what it weighs.
  bool carriesLoad(const Quantity& quantity) const {
    for (size_t back = 1; back <= 3 && back <= quantity.begin; ++back) {
      if (loadWords().contains(tokens_[quantity.begin - back].text)) return true;
    }
    const size_t next = quantity.end;
    return next < tokens_.size() &&
           (tokens_[next].text == "capacity" || tokens_[next].text == "load" || tokens_[next].text == "payload");
  }

  void set(Dimension dimension, double value) {
    if (!isSaneAmount(value)) return;
    std::optional<double>* field = nullptr;
    switch (dimension) {
      case Dimension::Length:
        field = &dimensions_.length;
        break;
      case Dimension::Width:
        field = &dimensions_.width;
        break;
      case Dimension::Height:
        field = &dimensions_.height;
        break;
      case Dimension::Depth:
        field = &dimensions_.depth;
        break;
      case Dimension::Diameter:
        field = &dimensions_.diameter;
        break;
      case Dimension::Area:
        field = &dimensions_.area;
        break;
      case Dimension::Volume:
        field = &dimensions_.volume;
        break;
      case Dimension::Weight:
        field = &dimensions_.weight;
        break;
      case Dimension::ScreenSize:
        return;
    }
    if (!*field) *field = value;
  }

  void setScreen(double inches) { performance_.other_specs.try_emplace("screen_size", formatNumber(inches) + " in"); }

  static void setOnce(std::optional<std::string>& field, const Quantity& quantity) {
    if (!field) field = formatNumber(quantity.value) + " " + std::string(quantity.unit->symbol);
  }

  const Analysis& analysis_;
  const std::vector<Token>& tokens_;
  const UnitIndex& units_;
  bool electronics_;
  sdk::Dimensions& dimensions_;
  sdk::Performance& performance_;
};

}  // namespace

std::optional<int64_t> readStories(const Analysis& analysis) {
  const auto& t = analysis.tokens();
  for (size_t i = 0; i < t.size(); ++i) {
    // "G+3": the ground floor plus three.
    if (analysis.isWord(i, "g") && i + 2 < t.size() && t[i + 1].text == "+" && t[i + 2].kind == TokenKind::Number) {
      if (const auto above = storyCount(t[i + 2].value)) return storyCount(static_cast<double>(*above + 1));
    }
    std::optional<double> count;
    size_t next = i + 1;
    if (const auto number = numberAt(t, i)) {
      count = number->value;
      next = number->end;
    } else if (const auto multiplier = storyMultiplierValue(t[i].text)) {
      count = *multiplier;
    }
    // "5 floor-to-ceiling windows" is no floor count.
    const bool compound = next + 1 < t.size() && t[next + 1].hyphenated;
    if (count && next < t.size() && t[next].kind == TokenKind::Word && floorWords().contains(t[next].text) &&
        !compound) {
      if (const auto stories = storyCount(*count)) return stories;
    }
  }
  return std::nullopt;
}

void readMeasurements(const Analysis& analysis, const UnitIndex& units, std::string_view designType,
                      sdk::Dimensions& dimensions, sdk::Performance& performance) {
  MeasurementReader(analysis, units, designType, dimensions, performance).run();
}

}  // namespace p2j::agent_rules
