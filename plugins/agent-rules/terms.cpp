#include "terms.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace p2j::agent_rules {
namespace {

constexpr std::string_view kBuilding = "building";
constexpr std::string_view kVehicle = "vehicle";
constexpr std::string_view kElectronics = "electronics";
constexpr std::string_view kAppliance = "appliance";
constexpr std::string_view kFurniture = "furniture";

constexpr ObjectTerm kObjects[] = {
    // buildings
    {"house", {kBuilding, "residential"}},
    {"home", {kBuilding, "residential"}},
    {"apartment", {kBuilding, "residential"}},
    {"villa", {kBuilding, "residential"}},
    {"condo", {kBuilding, "residential"}},
    {"condominium", {kBuilding, "residential"}},
    {"cottage", {kBuilding, "residential"}},
    {"bungalow", {kBuilding, "residential"}},
    {"town house", {kBuilding, "residential"}},
    {"farm house", {kBuilding, "residential"}},
    {"cabin", {kBuilding, "residential"}},
    {"dormitory", {kBuilding, "residential"}},
    {"residential", {kBuilding, "residential"}},
    {"office", {kBuilding, "commercial"}},
    {"shop", {kBuilding, "commercial"}},
    {"store", {kBuilding, "commercial"}},
    {"mall", {kBuilding, "commercial"}},
    {"hotel", {kBuilding, "commercial"}},
    {"restaurant", {kBuilding, "commercial"}},
    {"showroom", {kBuilding, "commercial"}},
    {"commercial", {kBuilding, "commercial"}},
    {"warehouse", {kBuilding, "industrial"}},
    {"factory", {kBuilding, "industrial"}},
    {"workshop", {kBuilding, "industrial"}},
    {"industrial", {kBuilding, "industrial"}},
    {"power plant", {kBuilding, "industrial"}},
    {"manufacturing plant", {kBuilding, "industrial"}},
    {"treatment plant", {kBuilding, "industrial"}},
    {"processing plant", {kBuilding, "industrial"}},
    {"production plant", {kBuilding, "industrial"}},
    {"chemical plant", {kBuilding, "industrial"}},
    {"assembly plant", {kBuilding, "industrial"}},
    {"bottling plant", {kBuilding, "industrial"}},
    {"recycling plant", {kBuilding, "industrial"}},
    {"desalination plant", {kBuilding, "industrial"}},
    {"industrial plant", {kBuilding, "industrial"}},
    {"hospital", {kBuilding, "institutional"}},
    {"clinic", {kBuilding, "institutional"}},
    {"school", {kBuilding, "institutional"}},
    {"university", {kBuilding, "institutional"}},
    {"college", {kBuilding, "institutional"}},
    {"library", {kBuilding, "institutional"}},
    {"museum", {kBuilding, "institutional"}},
    {"laboratory", {kBuilding, "institutional"}},
    {"building", {kBuilding, "general", true}},
    {"structure", {kBuilding, "general", true}},
    {"tower", {kBuilding, "general", true}},
    {"sky scraper", {kBuilding, "general", true}},
    {"complex", {kBuilding, "general", true}},
    {"garage", {kBuilding, "general", true}},
    {"car park", {kBuilding, "general", true}},
    // vehicles
    {"car", {kVehicle, "automobile"}},
    {"sedan", {kVehicle, "automobile"}},
    {"hatchback", {kVehicle, "automobile"}},
    {"suv", {kVehicle, "automobile"}},
    {"sport utility vehicle", {kVehicle, "automobile"}},
    {"coupe", {kVehicle, "automobile"}},
    {"convertible", {kVehicle, "automobile", false, true}},
    {"automobile", {kVehicle, "automobile"}},
    {"truck", {kVehicle, "commercial_vehicle"}},
    {"lorry", {kVehicle, "commercial_vehicle"}},
    {"van", {kVehicle, "commercial_vehicle"}},
    {"mini van", {kVehicle, "commercial_vehicle"}},
    {"bus", {kVehicle, "commercial_vehicle"}},
    {"pickup", {kVehicle, "commercial_vehicle"}},
    {"commercial vehicle", {kVehicle, "commercial_vehicle"}},
    {"motorcycle", {kVehicle, "two_wheeler"}},
    {"motor bike", {kVehicle, "two_wheeler"}},
    {"bike", {kVehicle, "two_wheeler"}},
    {"bicycle", {kVehicle, "two_wheeler"}},
    {"scooter", {kVehicle, "two_wheeler"}},
    {"moped", {kVehicle, "two_wheeler"}},
    {"boat", {kVehicle, "watercraft"}},
    {"ship", {kVehicle, "watercraft"}},
    {"yacht", {kVehicle, "watercraft"}},
    {"aircraft", {kVehicle, "aircraft"}},
    {"airplane", {kVehicle, "aircraft"}},
    {"aeroplane", {kVehicle, "aircraft"}},
    {"plane", {kVehicle, "aircraft"}},
    {"drone", {kVehicle, "aircraft"}},
    {"vehicle", {kVehicle, "general"}},
    // electronics
    {"laptop", {kElectronics, "computing"}},
    {"computer", {kElectronics, "computing"}},
    {"desktop", {kElectronics, "computing", false, true}},
    {"notebook", {kElectronics, "computing", false, true}},
    {"pc", {kElectronics, "computing"}},
    {"phone", {kElectronics, "mobile"}},
    {"smart phone", {kElectronics, "mobile"}},
    {"tablet", {kElectronics, "tablet"}},
    {"smart watch", {kElectronics, "wearable"}},
    {"fitness tracker", {kElectronics, "wearable"}},
    {"head phones", {kElectronics, "audio"}},
    {"head phone", {kElectronics, "audio"}},
    {"ear buds", {kElectronics, "audio"}},
    {"ear bud", {kElectronics, "audio"}},
    {"speaker", {kElectronics, "audio", false, true}},
    {"tv", {kElectronics, "display"}},
    {"television", {kElectronics, "display"}},
    {"monitor", {kElectronics, "display"}},
    {"device", {kElectronics, "general"}},
    {"gadget", {kElectronics, "general"}},
    {"electronic", {kElectronics, "general"}},
    {"electronics", {kElectronics, "general"}},
    // appliances
    {"fridge", {kAppliance, "refrigerator"}},
    {"refrigerator", {kAppliance, "refrigerator"}},
    {"washing machine", {kAppliance, "washing_machine"}},
    {"washer", {kAppliance, "washing_machine"}},
    {"dish washer", {kAppliance, "dishwasher"}},
    {"oven", {kAppliance, "oven"}},
    {"microwave", {kAppliance, "microwave"}},
    {"microwave oven", {kAppliance, "microwave"}},
    {"air conditioner", {kAppliance, "air_conditioner"}},
    {"vacuum cleaner", {kAppliance, "vacuum_cleaner"}},
    {"vacuum", {kAppliance, "vacuum_cleaner"}},
    {"toaster", {kAppliance, "toaster"}},
    {"kettle", {kAppliance, "kettle"}},
    {"blender", {kAppliance, "blender"}},
    {"coffee maker", {kAppliance, "coffee_maker"}},
    {"coffee machine", {kAppliance, "coffee_maker"}},
    {"appliance", {kAppliance, "general"}},
    // furniture
    {"chair", {kFurniture, "chair"}},
    {"office chair", {kFurniture, "chair"}},
    {"stool", {kFurniture, "chair"}},
    {"arm chair", {kFurniture, "chair"}},
    {"table", {kFurniture, "table"}},
    {"desk", {kFurniture, "desk"}},
    {"bed", {kFurniture, "bed"}},
    {"sofa", {kFurniture, "sofa"}},
    {"couch", {kFurniture, "sofa"}},
    {"cabinet", {kFurniture, "cabinet"}},
    {"wardrobe", {kFurniture, "cabinet"}},
    {"cupboard", {kFurniture, "cabinet"}},
    {"shelf", {kFurniture, "shelf"}},
    {"book shelf", {kFurniture, "shelf"}},
    {"book case", {kFurniture, "shelf"}},
    {"shelving", {kFurniture, "shelf"}},
    {"furniture", {kFurniture, "general"}},
};

constexpr MaterialTerm kMaterials[] = {
    {"concrete", {"concrete", ""}},
    {"steel", {"steel", ""}},
    {"carbon steel", {"steel", "CARBON"}},
    {"alloy steel", {"steel", "ALLOY"}},
    {"stainless steel", {"stainless steel", ""}},
    {"brick", {"brick", ""}},
    {"cement", {"cement", ""}},
    {"wood", {"wood", ""}},
    {"wooden", {"wood", ""}},
    {"timber", {"wood", ""}},
    {"plywood", {"wood", ""}},
    {"mdf", {"wood", ""}},
    {"oak", {"wood", "OAK"}},
    {"pine", {"wood", "PINE"}},
    {"maple", {"wood", "MAPLE"}},
    {"mahogany", {"wood", "MAHOGANY"}},
    {"teak", {"wood", "TEAK"}},
    {"glass", {"glass", ""}},
    {"glazed", {"glass", ""}},
    {"stone", {"stone", ""}},
    {"marble", {"stone", ""}},
    {"granite", {"stone", ""}},
    {"aluminum", {"aluminum", ""}},
    {"aluminium", {"aluminum", ""}},
    {"carbon fiber", {"carbon fiber", ""}},
    {"carbon fibre", {"carbon fiber", ""}},
    {"plastic", {"plastic", ""}},
    {"leather", {"leather", ""}},
    {"fabric", {"fabric", ""}},
    {"rubber", {"rubber", ""}},
    {"silicon", {"silicon", ""}},
    {"copper", {"copper", ""}},
    {"lithium", {"lithium", ""}},
    {"lithium ion", {"lithium", ""}},
    {"ceramic", {"ceramic", ""}},
    {"metal", {"metal", ""}},
    {"iron", {"metal", ""}},
    {"magnesium", {"metal", ""}},
    {"bamboo", {"bamboo", ""}},
    {"titanium", {"titanium", ""}},
    {"fiber glass", {"fiberglass", ""}},
    {"fibre glass", {"fiberglass", ""}},
};

constexpr FeatureTerm kFeatures[] = {
    {"parking", "parking"},
    {"garage", "parking"},
    {"car park", "parking"},
    {"elevator", "elevator"},
    {"lift", "elevator"},
    {"balcony", "balcony"},
    {"garden", "garden"},
    {"pool", "pool"},
    {"swimming pool", "pool"},
    {"gym", "gym"},
    {"fitness center", "gym"},
    {"fitness centre", "gym"},
    {"security", "security"},
    {"cctv", "security"},
    {"air conditioning", "air_conditioning"},
    {"air conditioned", "air_conditioning"},
    {"ac", "air_conditioning"},
    {"hvac", "air_conditioning"},
    {"solar", "solar"},
    {"solar panel", "solar"},
    {"gps", "gps"},
    {"bluetooth", "bluetooth"},
    {"sun roof", "sunroof"},
    {"heated seat", "heated_seats"},
    {"cruise control", "cruise_control"},
    {"parking sensor", "parking_sensors"},
    {"backup camera", "backup_camera"},
    {"back up camera", "backup_camera"},
    {"reversing camera", "backup_camera"},
    {"rear view camera", "backup_camera"},
    {"touch screen", "touchscreen"},
    {"wireless", "wireless"},
    {"camera", "camera"},
    {"finger print", "fingerprint"},
    {"face recognition", "face_recognition"},
    {"facial recognition", "face_recognition"},
    {"water proof", "waterproof"},
    {"energy efficient", "energy_efficient"},
    {"energy efficiency", "energy_efficient"},
    {"smart control", "smart_control"},
    {"timer", "timer"},
    {"auto defrost", "auto_defrost"},
    {"automatic defrost", "auto_defrost"},
    {"temperature control", "temperature_control"},
    {"wi fi", "wifi"},
    {"adjustable", "adjustable"},
    {"foldable", "foldable"},
    {"storage", "storage"},
    {"ergonomic", "ergonomic"},
    {"cushioned", "cushioned"},
    {"modular", "modular"},
    {"smart", "smart"},
    {"automatic", "automatic"},
    {"manual", "manual"},
    {"portable", "portable"},
    {"compact", "compact"},
    {"luxury", "luxury"},
};

constexpr AudienceTerm kAudiences[] = {
    {"professional", Audience::Professional},
    {"business user", Audience::Professional},
    {"business use", Audience::Professional},
    {"business", Audience::Professional},
    {"enterprise", Audience::Professional},
    {"consumer", Audience::Consumer},
    {"home user", Audience::Consumer},
    {"home use", Audience::Consumer},
    {"family", Audience::Consumer},
    {"personal", Audience::Consumer},
    {"household", Audience::Consumer},
    {"home owner", Audience::Consumer},
    {"industrial", Audience::Industrial},
    {"industrial use", Audience::Industrial},
    {"industrial user", Audience::Industrial},
    {"luxury", Audience::Luxury},
    {"premium", Audience::Luxury},
    {"high end", Audience::Luxury},
    {"upscale", Audience::Luxury},
    {"luxurious", Audience::Luxury},
    {"budget", Audience::Budget, true},
    {"budget friendly", Audience::Budget},
    {"affordable", Audience::Budget},
    {"cheap", Audience::Budget},
    {"low cost", Audience::Budget},
    {"inexpensive", Audience::Budget},
    {"economical", Audience::Budget},
    {"entry level", Audience::Budget},
};

constexpr ConstraintTerm kConstraints[] = {
    {"budget", "budget constraint"},
    {"cost", "cost constraint"},
    {"size limit", "size limit constraint"},
    {"size constraint", "size limit constraint"},
    {"size restriction", "size limit constraint"},
    {"weight limit", "weight limit constraint"},
    {"weight constraint", "weight limit constraint"},
    {"weight restriction", "weight limit constraint"},
    {"deadline", "deadline constraint"},
};

// The original service's component vocabulary, now matched on whole words (singular or plural).
constexpr ComponentTerm kComponents[] = {
    {"foundation", {kBuilding, "foundation"}},
    {"wall", {kBuilding, "walls"}},
    {"roof", {kBuilding, "roof"}},
    {"floor", {kBuilding, "floors"}},
    {"window", {kBuilding, "windows"}},
    {"door", {kBuilding, "doors"}},
    {"engine", {kVehicle, "engine"}},
    {"transmission", {kVehicle, "transmission"}},
    {"wheel", {kVehicle, "wheels"}},
    {"brake", {kVehicle, "brakes"}},
    {"suspension", {kVehicle, "suspension"}},
    {"interior", {kVehicle, "interior"}},
    {"exterior", {kVehicle, "exterior"}},
    {"processor", {kElectronics, "processor"}},
    {"memory", {kElectronics, "memory"}},
    {"storage", {kElectronics, "storage"}},
    {"display", {kElectronics, "display"}},
    {"battery", {kElectronics, "battery"}},
    {"camera", {kElectronics, "camera"}},
    {"speaker", {kElectronics, "speakers"}},
    {"compressor", {kAppliance, "compressor"}},
    {"motor", {kAppliance, "motor"}},
    {"control panel", {kAppliance, "control panel"}},
    {"door", {kAppliance, "door"}},
    {"shelf", {kAppliance, "shelves"}},
    {"filter", {kAppliance, "filters"}},
    {"frame", {kFurniture, "frame"}},
    {"leg", {kFurniture, "legs"}},
    {"surface", {kFurniture, "surface"}},
    {"cushion", {kFurniture, "cushions"}},
    {"drawer", {kFurniture, "drawers"}},
    {"handle", {kFurniture, "handles"}},
};

constexpr VerbTerm kVerbs[] = {
    {"design", VerbUse::Always},        {"designs", VerbUse::Always},      {"designed", VerbUse::Always},
    {"designing", VerbUse::Always},     {"create", VerbUse::Always},       {"creates", VerbUse::Always},
    {"created", VerbUse::Always},       {"creating", VerbUse::Always},     {"build", VerbUse::Always},
    {"builds", VerbUse::Always},        {"built", VerbUse::Always},        {"building", VerbUse::BeforeDeterminer},
    {"make", VerbUse::Always},          {"makes", VerbUse::Always},        {"made", VerbUse::Always},
    {"making", VerbUse::Always},        {"develop", VerbUse::Always},      {"develops", VerbUse::Always},
    {"developed", VerbUse::Always},     {"developing", VerbUse::Always},   {"construct", VerbUse::Always},
    {"constructs", VerbUse::Always},    {"constructed", VerbUse::Always},  {"constructing", VerbUse::Always},
    {"manufacture", VerbUse::Always},   {"manufactures", VerbUse::Always}, {"manufactured", VerbUse::Always},
    {"manufacturing", VerbUse::Always}, {"prototype", VerbUse::Always},    {"prototypes", VerbUse::Always},
    {"prototyped", VerbUse::Always},    {"prototyping", VerbUse::Always},  {"plan", VerbUse::Always},
    {"plans", VerbUse::Always},         {"planned", VerbUse::Always},      {"planning", VerbUse::Always},
    {"model", VerbUse::Always},         {"models", VerbUse::Always},       {"modeled", VerbUse::Always},
    {"modelled", VerbUse::Always},      {"modeling", VerbUse::Always},     {"modelling", VerbUse::Always},
    {"sketch", VerbUse::Always},        {"sketches", VerbUse::Always},     {"sketched", VerbUse::Always},
    {"sketching", VerbUse::Always},
};

constexpr NonDesignTerm kNonDesign[] = {
    {"joke", NonDesign::Joke},
    {"riddle", NonDesign::Joke},
    {"story", NonDesign::Story},
    {"tale", NonDesign::Story},
    {"poem", NonDesign::Poem},
    {"poetry", NonDesign::Poem},
    {"haiku", NonDesign::Poem},
    {"limerick", NonDesign::Poem},
    {"song", NonDesign::Song},
    {"lyrics", NonDesign::Song},
    {"recipe", NonDesign::Recipe},
    {"weather", NonDesign::Weather},
    {"news", NonDesign::News},
    {"headline", NonDesign::News},
    {"essay", NonDesign::Essay},
    {"translate", NonDesign::Translation},
    {"translation", NonDesign::Translation},
    {"hello", NonDesign::SmallTalk},
    {"hi", NonDesign::SmallTalk},
    {"hey", NonDesign::SmallTalk},
    {"how are you", NonDesign::SmallTalk},
    {"how's it going", NonDesign::SmallTalk},
    {"what's up", NonDesign::SmallTalk},
    {"who are you", NonDesign::SmallTalk},
    {"good morning", NonDesign::SmallTalk},
    {"good afternoon", NonDesign::SmallTalk},
    {"good evening", NonDesign::SmallTalk},
    {"thank you", NonDesign::SmallTalk},
    {"thanks", NonDesign::SmallTalk},
    {"nice to meet you", NonDesign::SmallTalk},
};

constexpr std::string_view kNeutral[] = {
    "all weather",
    "weather resistant",
    "weather proof",
    "weather sealed",
    "weather resistance",
    "hi fi",
    // alternating current, not air conditioning
    "ac motor",
    "ac power",
    "ac adapter",
    "ac charger",
    "ac outlet",
    "ac current",
};

constexpr GradeRule kGrades[] = {
    {"steel", GradeForm::LetterCode, "a"},     {"steel", GradeForm::GradeNumber, ""},
    {"steel", GradeForm::Word, "carbon"},      {"steel", GradeForm::Word, "alloy"},
    {"concrete", GradeForm::LetterCode, "c"},  {"concrete", GradeForm::LetterCode, "m"},
    {"concrete", GradeForm::GradeNumber, ""},  {"aluminum", GradeForm::Word, "6061"},
    {"aluminum", GradeForm::Word, "7075"},     {"aluminum", GradeForm::Word, "anodized"},
    {"aluminum", GradeForm::Word, "anodised"}, {"wood", GradeForm::Word, "oak"},
    {"wood", GradeForm::Word, "pine"},         {"wood", GradeForm::Word, "maple"},
    {"wood", GradeForm::Word, "mahogany"},     {"wood", GradeForm::Word, "teak"},
    {"plastic", GradeForm::Word, "abs"},       {"plastic", GradeForm::Word, "pvc"},
    {"plastic", GradeForm::Word, "pet"},       {"plastic", GradeForm::Word, "hdpe"},
};

constexpr double kFoot = 0.3048;
constexpr double kInch = 0.0254;
constexpr double kSquareFoot = 0.09290304;
constexpr double kCubicFoot = 0.028316846592;
constexpr double kPound = 0.45359237;

constexpr UnitTerm kUnits[] = {
    {"m", UnitKind::Length, 1, "m"},
    {"meter", UnitKind::Length, 1, "m"},
    {"meters", UnitKind::Length, 1, "m"},
    {"metre", UnitKind::Length, 1, "m"},
    {"metres", UnitKind::Length, 1, "m"},
    {"mm", UnitKind::Length, 0.001, "mm"},
    {"millimeter", UnitKind::Length, 0.001, "mm"},
    {"millimeters", UnitKind::Length, 0.001, "mm"},
    {"millimetre", UnitKind::Length, 0.001, "mm"},
    {"millimetres", UnitKind::Length, 0.001, "mm"},
    {"cm", UnitKind::Length, 0.01, "cm"},
    {"centimeter", UnitKind::Length, 0.01, "cm"},
    {"centimeters", UnitKind::Length, 0.01, "cm"},
    {"centimetre", UnitKind::Length, 0.01, "cm"},
    {"centimetres", UnitKind::Length, 0.01, "cm"},
    {"km", UnitKind::Length, 1000, "km"},
    {"kilometer", UnitKind::Length, 1000, "km"},
    {"kilometers", UnitKind::Length, 1000, "km"},
    {"kilometre", UnitKind::Length, 1000, "km"},
    {"kilometres", UnitKind::Length, 1000, "km"},
    {"ft", UnitKind::Length, kFoot, "ft"},
    {"feet", UnitKind::Length, kFoot, "ft"},
    {"foot", UnitKind::Length, kFoot, "ft"},
    {"in", UnitKind::Length, kInch, "in", UnitRule::Inch},
    {"inch", UnitKind::Length, kInch, "in"},
    {"inches", UnitKind::Length, kInch, "in"},
    {"\"", UnitKind::Length, kInch, "in", UnitRule::Glued},
    {"yd", UnitKind::Length, 0.9144, "yd"},
    {"yds", UnitKind::Length, 0.9144, "yd"},
    {"yard", UnitKind::Length, 0.9144, "yd"},
    {"yards", UnitKind::Length, 0.9144, "yd"},
    {"sq ft", UnitKind::Area, kSquareFoot, "sq ft"},
    {"sq. ft", UnitKind::Area, kSquareFoot, "sq ft"},
    {"sqft", UnitKind::Area, kSquareFoot, "sq ft"},
    {"sq feet", UnitKind::Area, kSquareFoot, "sq ft"},
    {"square feet", UnitKind::Area, kSquareFoot, "sq ft"},
    {"square foot", UnitKind::Area, kSquareFoot, "sq ft"},
    {"ft²", UnitKind::Area, kSquareFoot, "sq ft"},
    {"ft2", UnitKind::Area, kSquareFoot, "sq ft"},
    {"m²", UnitKind::Area, 1, "m²"},
    {"m2", UnitKind::Area, 1, "m²"},
    {"sq m", UnitKind::Area, 1, "m²"},
    {"sq. m", UnitKind::Area, 1, "m²"},
    {"sqm", UnitKind::Area, 1, "m²"},
    {"square meter", UnitKind::Area, 1, "m²"},
    {"square meters", UnitKind::Area, 1, "m²"},
    {"square metre", UnitKind::Area, 1, "m²"},
    {"square metres", UnitKind::Area, 1, "m²"},
    {"m³", UnitKind::Volume, 1, "m³"},
    {"m3", UnitKind::Volume, 1, "m³"},
    {"cu m", UnitKind::Volume, 1, "m³"},
    {"cubic meter", UnitKind::Volume, 1, "m³"},
    {"cubic meters", UnitKind::Volume, 1, "m³"},
    {"cubic metre", UnitKind::Volume, 1, "m³"},
    {"cubic metres", UnitKind::Volume, 1, "m³"},
    {"cu ft", UnitKind::Volume, kCubicFoot, "cu ft"},
    {"cubic feet", UnitKind::Volume, kCubicFoot, "cu ft"},
    {"cubic foot", UnitKind::Volume, kCubicFoot, "cu ft"},
    {"ft³", UnitKind::Volume, kCubicFoot, "cu ft"},
    {"kg", UnitKind::Mass, 1, "kg"},
    {"kgs", UnitKind::Mass, 1, "kg"},
    {"kilogram", UnitKind::Mass, 1, "kg"},
    {"kilograms", UnitKind::Mass, 1, "kg"},
    {"kilo", UnitKind::Mass, 1, "kg"},
    {"kilos", UnitKind::Mass, 1, "kg"},
    {"g", UnitKind::Mass, 0.001, "g", UnitRule::Spaced},
    {"gram", UnitKind::Mass, 0.001, "g"},
    {"grams", UnitKind::Mass, 0.001, "g"},
    {"lb", UnitKind::Mass, kPound, "lb"},
    {"lbs", UnitKind::Mass, kPound, "lb"},
    {"pound", UnitKind::Mass, kPound, "lb"},
    {"pounds", UnitKind::Mass, kPound, "lb"},
    {"ton", UnitKind::Mass, 1000, "t"},
    {"tons", UnitKind::Mass, 1000, "t"},
    {"tonne", UnitKind::Mass, 1000, "t"},
    {"tonnes", UnitKind::Mass, 1000, "t"},
    {"hp", UnitKind::Power, 1, "hp"},
    {"bhp", UnitKind::Power, 1, "hp"},
    {"horsepower", UnitKind::Power, 1, "hp"},
    {"kw", UnitKind::Power, 1, "kW"},
    {"kilowatt", UnitKind::Power, 1, "kW"},
    {"kilowatts", UnitKind::Power, 1, "kW"},
    {"w", UnitKind::Power, 1, "W", UnitRule::NotBeforeSlash},
    {"watt", UnitKind::Power, 1, "W"},
    {"watts", UnitKind::Power, 1, "W"},
    {"mw", UnitKind::Power, 1, "MW"},
    {"megawatt", UnitKind::Power, 1, "MW"},
    {"megawatts", UnitKind::Power, 1, "MW"},
    {"gb", UnitKind::Capacity, 1, "GB"},
    {"tb", UnitKind::Capacity, 1, "TB"},
    {"mb", UnitKind::Capacity, 1, "MB"},
    {"l", UnitKind::Capacity, 1, "L"},
    {"liter", UnitKind::Capacity, 1, "L"},
    {"liters", UnitKind::Capacity, 1, "L"},
    {"litre", UnitKind::Capacity, 1, "L"},
    {"litres", UnitKind::Capacity, 1, "L"},
    {"ml", UnitKind::Capacity, 1, "mL"},
    {"gallon", UnitKind::Capacity, 1, "gal"},
    {"gallons", UnitKind::Capacity, 1, "gal"},
    {"gal", UnitKind::Capacity, 1, "gal"},
    {"mah", UnitKind::Capacity, 1, "mAh"},
    {"wh", UnitKind::Capacity, 1, "Wh"},
    {"kwh", UnitKind::Capacity, 1, "kWh"},
    {"km/h", UnitKind::Speed, 1, "km/h"},
    {"kmh", UnitKind::Speed, 1, "km/h"},
    {"kph", UnitKind::Speed, 1, "km/h"},
    {"kilometers per hour", UnitKind::Speed, 1, "km/h"},
    {"kilometres per hour", UnitKind::Speed, 1, "km/h"},
    {"mph", UnitKind::Speed, 1, "mph"},
    {"miles per hour", UnitKind::Speed, 1, "mph"},
    {"knots", UnitKind::Speed, 1, "knots"},
    {"m/s", UnitKind::Speed, 1, "m/s"},
    {"mpg", UnitKind::Efficiency, 1, "mpg"},
    {"miles per gallon", UnitKind::Efficiency, 1, "mpg"},
    {"km/l", UnitKind::Efficiency, 1, "km/L"},
    {"l/100km", UnitKind::Efficiency, 1, "L/100 km"},
    {"l/100 km", UnitKind::Efficiency, 1, "L/100 km"},
};

constexpr TimeUnitTerm kTimeUnits[] = {
    {"day", "day", "days"},       {"days", "day", "days"},       {"week", "week", "weeks"}, {"weeks", "week", "weeks"},
    {"month", "month", "months"}, {"months", "month", "months"}, {"year", "year", "years"}, {"years", "year", "years"},
    {"yr", "year", "years"},      {"yrs", "year", "years"},
};

constexpr CurrencyTerm kCurrencies[] = {
    {"$", "$"},    {"dollar", "$"}, {"dollars", "$"}, {"usd", "$"}, {"buck", "$"}, {"bucks", "$"},    {"€", "€"},
    {"euro", "€"}, {"euros", "€"},  {"eur", "€"},     {"£", "£"},   {"gbp", "£"},  {"sterling", "£"},
};

constexpr MultiplierTerm kMultipliers[] = {
    {"k", 1e3},   {"thousand", 1e3}, {"m", 1e6}, {"mm", 1e6}, {"mn", 1e6},
    {"mil", 1e6}, {"million", 1e6},  {"b", 1e9}, {"bn", 1e9}, {"billion", 1e9},
};

constexpr std::pair<std::string_view, int> kNumberWords[] = {
    {"one", 1},       {"two", 2},       {"three", 3},    {"four", 4},      {"five", 5},       {"six", 6},
    {"seven", 7},     {"eight", 8},     {"nine", 9},     {"ten", 10},      {"eleven", 11},    {"twelve", 12},
    {"thirteen", 13}, {"fourteen", 14}, {"fifteen", 15}, {"sixteen", 16},  {"seventeen", 17}, {"eighteen", 18},
    {"nineteen", 19}, {"twenty", 20},   {"thirty", 30},  {"forty", 40},    {"fifty", 50},     {"sixty", 60},
    {"seventy", 70},  {"eighty", 80},   {"ninety", 90},  {"hundred", 100},
};

constexpr std::pair<std::string_view, int> kStoryMultipliers[] = {
    {"single", 1},
    {"double", 2},
    {"triple", 3},
};

constexpr std::pair<std::string_view, Dimension> kDimensionAdjectives[] = {
    {"long", Dimension::Length}, {"wide", Dimension::Width}, {"tall", Dimension::Height},
    {"high", Dimension::Height}, {"deep", Dimension::Depth},
};

constexpr std::pair<std::string_view, Dimension> kDimensionNouns[] = {
    {"length", Dimension::Length},     {"width", Dimension::Width},        {"breadth", Dimension::Width},
    {"height", Dimension::Height},     {"depth", Dimension::Depth},        {"diameter", Dimension::Diameter},
    {"area", Dimension::Area},         {"volume", Dimension::Volume},      {"weight", Dimension::Weight},
    {"weighing", Dimension::Weight},   {"weighs", Dimension::Weight},      {"weigh", Dimension::Weight},
    {"screen", Dimension::ScreenSize}, {"display", Dimension::ScreenSize}, {"wheel", Dimension::Diameter},
    {"wheels", Dimension::Diameter},   {"rims", Dimension::Diameter},      {"tires", Dimension::Diameter},
    {"tyres", Dimension::Diameter},
};

template <typename Value, size_t N>
std::optional<Value> lookup(const std::pair<std::string_view, Value> (&table)[N], std::string_view key) {
  for (const auto& [word, value] : table) {
    if (word == key) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view audienceName(Audience audience) {
  switch (audience) {
    case Audience::Professional:
      return "professional";
    case Audience::Consumer:
      return "consumer";
    case Audience::Industrial:
      return "industrial";
    case Audience::Luxury:
      return "luxury";
    case Audience::Budget:
      return "budget";
    case Audience::None:
      break;
  }
  return "";
}

std::string_view refusalReason(NonDesign kind) {
  switch (kind) {
    case NonDesign::Joke:
      return "the prompt asks for a joke, not a design";
    case NonDesign::Story:
      return "the prompt asks for a story, not a design";
    case NonDesign::Poem:
      return "the prompt asks for a poem, not a design";
    case NonDesign::Song:
      return "the prompt asks for a song, not a design";
    case NonDesign::Recipe:
      return "the prompt asks for a recipe, not a design";
    case NonDesign::Weather:
      return "the prompt asks about the weather, not for a design";
    case NonDesign::News:
      return "the prompt asks for the news, not for a design";
    case NonDesign::Essay:
      return "the prompt asks for an essay, not a design";
    case NonDesign::Translation:
      return "the prompt asks for a translation, not a design";
    case NonDesign::SmallTalk:
      return "the prompt is small talk, not a design request";
    case NonDesign::None:
      break;
  }
  return "the prompt does not ask for a design: name an object to design, or use a verb such as design or build";
}

std::span<const ObjectTerm> objectTerms() { return kObjects; }
std::span<const MaterialTerm> materialTerms() { return kMaterials; }
std::span<const FeatureTerm> featureTerms() { return kFeatures; }
std::span<const AudienceTerm> audienceTerms() { return kAudiences; }
std::span<const ConstraintTerm> constraintTerms() { return kConstraints; }
std::span<const ComponentTerm> componentTerms() { return kComponents; }
std::span<const VerbTerm> verbTerms() { return kVerbs; }
std::span<const NonDesignTerm> nonDesignTerms() { return kNonDesign; }
std::span<const std::string_view> neutralTerms() { return kNeutral; }
std::span<const GradeRule> gradeRules() { return kGrades; }
std::span<const UnitTerm> unitTerms() { return kUnits; }
std::span<const TimeUnitTerm> timeUnitTerms() { return kTimeUnits; }
std::span<const CurrencyTerm> currencyTerms() { return kCurrencies; }
std::span<const MultiplierTerm> multiplierTerms() { return kMultipliers; }

std::string_view defaultMaterial(std::string_view designType) {
  if (designType == kBuilding) return "concrete";
  if (designType == kVehicle) return "steel";
  if (designType == kElectronics) return "aluminum";
  if (designType == kAppliance) return "stainless steel";
  if (designType == kFurniture) return "wood";
  return "standard";
}

std::optional<int> numberWordValue(std::string_view word) {
  // Asked of nearly every token: a hash lookup rather than a scan of the table.
  static const WordMap<int> values = [] {
    WordMap<int> words;
    for (const auto& [spelling, value] : kNumberWords) words[spelling] = value;
    return words;
  }();
  const int* value = values.find(word);
  return value == nullptr ? std::nullopt : std::optional<int>(*value);
}
std::optional<int> storyMultiplierValue(std::string_view word) { return lookup(kStoryMultipliers, word); }
std::optional<Dimension> dimensionAdjective(std::string_view word) { return lookup(kDimensionAdjectives, word); }
std::optional<Dimension> dimensionNoun(std::string_view word) { return lookup(kDimensionNouns, word); }

WordSet::WordSet(std::initializer_list<std::string_view> words) {
  for (const std::string_view word : words) words_[word] = true;
}

bool WordSet::contains(std::string_view word) const { return words_.find(word) != nullptr; }

const WordSet& phraseBoundaryWords() {
  static const WordSet words{
      "with",   "for",     "of",      "in",      "on",     "at",        "that",      "which",      "to",     "from",
      "by",     "near",    "about",   "into",    "onto",   "under",     "over",      "without",    "within", "who",
      "whom",   "whose",   "where",   "when",    "while",  "featuring", "including", "using",      "having", "has",
      "have",   "had",     "is",      "are",     "was",    "were",      "be",        "been",       "should", "must",
      "can",    "could",   "will",    "would",   "may",    "might",     "shall",     "and",        "or",     "but",
      "so",     "than",    "as",      "like",    "via",    "per",       "across",    "along",      "around", "behind",
      "beside", "besides", "between", "beyond",  "inside", "outside",   "through",   "throughout", "toward", "towards",
      "upon",   "plus",    "against", "after",   "before", "during",    "since",     "until",      "if",     "because",
      "also",   "please",  "then",    "where's", "it's",   "i'd",       "we'd",      "i'm",        "we're",
  };
  return words;
}

const WordSet& determiners() {
  static const WordSet words{"a",   "an",   "the",   "my",    "our", "your", "their", "his", "her",
                             "its", "this", "these", "those", "me",  "us",   "some",  "new"};
  return words;
}

const WordSet& measureFillers() {
  static const WordSet words{
      "of",      "is",    "are",   "about", "approximately", "approx",  "around", "roughly", "nearly", "almost",
      "exactly", "just",  "up",    "to",    "max",           "maximum", "min",    "minimum", "at",     "least",
      "most",    "under", "below", "over",  "total",         "overall", "size",   "limit",   ":",      "=",
      "~"};
  return words;
}

const WordSet& wheelWords() {
  static const WordSet words{"wheel", "wheels", "rim", "rims", "tire", "tires", "tyre", "tyres"};
  return words;
}

const WordSet& screenWords() {
  static const WordSet words{"screen",   "screens",    "display", "displays", "monitor", "monitors",
                             "tv",       "television", "laptop",  "tablet",   "phone",   "smartphone",
                             "notebook", "computer",   "pc",      "oled",     "lcd",     "touchscreen"};
  return words;
}

const WordSet& inchFollowers() {
  static const WordSet words{
      "long",     "wide",     "tall",    "high",        "deep",       "thick",    "x",      "by",    "and",
      "or",       "wheel",    "wheels",  "rim",         "rims",       "tire",     "tires",  "tyre",  "tyres",
      "screen",   "display",  "monitor", "tv",          "television", "laptop",   "tablet", "phone", "smartphone",
      "notebook", "computer", "pc",      "touchscreen", "diameter",   "diagonal", "oled",   "lcd",
  };
  return words;
}

const WordSet& sizeContextWords() {
  static const WordSet words{"dimensions", "dimension", "measuring", "measures", "measure",
                             "size",       "sized",     "footprint", "plot",     "lot"};
  return words;
}

const WordSet& loadWords() {
  static const WordSet words{"capacity", "payload", "load",    "loads",   "carry",    "carrying",   "carries",
                             "hold",     "holds",   "holding", "support", "supports", "supporting", "lift",
                             "lifts",    "lifting", "tow",     "towing",  "handle",   "handles"};
  return words;
}

const WordSet& floorWords() {
  static const WordSet words{"story", "stories", "storey", "storeys", "storied", "floor", "floors", "level", "levels"};
  return words;
}

const WordSet& budgetNounFollowers() {
  static const WordSet words{
      "of",
      "is",
      "was",
      "will",
      "would",
      "should",
      "must",
      "can",
      "could",
      "for",
      "around",
      "about",
      "approximately",
      "roughly",
      "up",
      "under",
      "below",
      "above",
      "over",
      "to",
      "at",
      "in",
      "on",
      "and",
      "or",
      "but",
      "constraint",
      "constraints",
      "limit",
      "limits",
      "cap",
      "ceiling",
      "max",
      "maximum",
      "not",
      "no",
      "range",
      "between",
      "from",
      "near",
      "close",
      "estimate",
      "set",
      "stays",
      "remains",
      "allows",
      "totals",
      "tops",
      "with",
      "per",
      "needs",
      "isn't",
      "are",
      "the",
      "this",
      "that",
      "we",
      "i",
      "it",
      "allocated",
      "available",
      "million",
      "thousand",
      "billion",
      "k",
      "m",
      "usd",
      "eur",
      "gbp",
      "allowing",
      "permits",
      "only",
  };
  return words;
}

const WordSet& requirementWords() {
  static const WordSet words{"must", "should", "need", "needs", "require", "requires", "essential", "important"};
  return words;
}

const WordSet& costCues() {
  static const WordSet words{"budget",  "budgets", "cost",  "costs",    "costing", "price",  "priced",
                             "pricing", "msrp",    "spend", "spending", "retail",  "retails"};
  return words;
}

const WordSet& costFillers() {
  static const WordSet words{"of",     "is",    "are",           "was",     "will",    "be",    "should", "must",
                             "around", "about", "approximately", "approx",  "roughly", "under", "below",  "at",
                             "up",     "to",    "max",           "maximum", "no",      "more",  "less",   "than",
                             "within", "set",   "estimated",     "target",  "total",   "just",  "only",   ":",
                             "=",      "~"};
  return words;
}

const WordSet& durationCues() {
  static const WordSet words{":",    "timeline", "deadline", "schedule",      "in",      "within", "under",
                             "over", "about",    "around",   "approximately", "roughly", "than",   "of",
                             "for",  "takes",    "take",     "just",          "only"};
  return words;
}

const WordSet& durationExclusions() {
  static const WordSet words{"warranty", "warranties", "guarantee", "guaranteed", "battery",      "life",   "lifespan",
                             "lifetime", "old",        "aged",      "age",        "subscription", "lease",  "every",
                             "per",      "each",       "lasts",     "last",       "lasting",      "service"};
  return words;
}

const WordSet& nonNarrativeStoryFollowers() {
  static const WordSet words{"building", "buildings", "house", "houses",    "home",   "homes",    "tower",
                             "towers",   "high",      "tall",  "structure", "office", "apartment"};
  return words;
}

}  // namespace p2j::agent_rules
