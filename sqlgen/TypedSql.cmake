# typed_sql(TARGET target NAMESPACE ns HEADER include/path.h DIR dir [SCRIPTS subdir])
# Generates typed functions for every annotated .sql file under DIR (see
# sqlgen/sqlgen.cpp) into TARGET, declared in HEADER (an include path such as
# "locks/queries.h"). Folders under DIR become nested namespaces of ns.
# Files under DIR/SUBDIR are scripts (migrations), embedded in order and
# returned by ns::SUBDIR(). DIR/schema.sql (the dumped schema) is not
# compiled. CMake re-configures when a file is added; edits rebuild.
function(typed_sql)
  cmake_parse_arguments(TS "" "TARGET;NAMESPACE;HEADER;DIR;SCRIPTS" "" ${ARGN})
  file(GLOB_RECURSE files CONFIGURE_DEPENDS RELATIVE ${TS_DIR} ${TS_DIR}/*.sql)
  list(REMOVE_ITEM files schema.sql)
  list(SORT files)
  set(gen_dir ${CMAKE_CURRENT_BINARY_DIR}/sqlgen_include)
  set(header ${gen_dir}/${TS_HEADER})
  string(MAKE_C_IDENTIFIER ${TS_HEADER} stem)
  set(source ${CMAKE_CURRENT_BINARY_DIR}/${stem}.cpp)
  get_filename_component(header_dir ${header} DIRECTORY)
  file(MAKE_DIRECTORY ${header_dir})
  set(inputs)
  foreach(f ${files})
    list(APPEND inputs ${TS_DIR}/${f})
  endforeach()
  set(scripts_option)
  if(TS_SCRIPTS)
    set(scripts_option --scripts ${TS_SCRIPTS})
  endif()
  add_custom_command(
    OUTPUT ${header} ${source}
    COMMAND sqlgen --namespace ${TS_NAMESPACE} --header ${TS_HEADER} --out-header ${header} --out-source ${source}
            --root ${TS_DIR} ${scripts_option} ${files}
    DEPENDS sqlgen ${inputs}
    COMMENT "sqlgen: typed queries ${TS_HEADER}"
    VERBATIM)
  target_sources(${TS_TARGET} PRIVATE ${source} ${header})
  target_include_directories(${TS_TARGET} PUBLIC ${gen_dir})
  target_link_libraries(${TS_TARGET} PUBLIC sy_sqlgen)
endfunction()
