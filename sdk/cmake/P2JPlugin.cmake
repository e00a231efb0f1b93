# p2j_add_plugin(<name> SOURCES <src>... [LINK_LIBRARIES <lib>...] [OUTPUT_DIRECTORY <dir>])
#
# Builds <name>.so, the file a p2j host loads for `use: <name>`. Symbols are hidden except the p2j_*
# entry points, so two plugins that bundle different versions of a library never see each other's.
function(p2j_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "OUTPUT_DIRECTORY" "SOURCES;LINK_LIBRARIES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "p2j_add_plugin(${name}): SOURCES is required")
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE p2j::sdk ${ARG_LINK_LIBRARIES})
  set(export_map ${CMAKE_CURRENT_BINARY_DIR}/${name}.exports.map)
  file(WRITE ${export_map} "{ global: p2j_*; local: *; };\n")
  target_link_options(${name} PRIVATE "LINKER:--version-script=${export_map}")
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS ${export_map})
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  elseif(DEFINED P2J_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${P2J_PLUGIN_OUTPUT_DIR})
  endif()
endfunction()
