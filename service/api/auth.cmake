# Bearer-token authentication (libjwt) for the API and `switchyard token`.
# Included from service/CMakeLists.txt. Paths are relative to this file so the
# target also builds when included from another top-level project.
add_library(sy_api_auth STATIC
  ${CMAKE_CURRENT_LIST_DIR}/auth.cpp
  ${CMAKE_CURRENT_LIST_DIR}/token_ttl.cpp
)
# service/ for "api/auth.h" (and the service's own headers), the repository
# root for the other top-level folders, as sy_service does.
target_include_directories(sy_api_auth PUBLIC ${CMAKE_CURRENT_LIST_DIR}/.. ${CMAKE_CURRENT_LIST_DIR}/../..)
target_link_libraries(sy_api_auth PRIVATE PkgConfig::JWT OpenSSL::Crypto nlohmann_json::nlohmann_json)
