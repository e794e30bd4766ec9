// offline-cache/src/schema.h — the numbered schema migrations.
//
// Migration N (1-based) moves a file from user_version N-1 to N, in one
// transaction together with the user_version update. Never edit a migration
// that has shipped: add the next one. Tests build files at every earlier
// version and open them with today's Store.
#pragma once

#include <sqlite3.h>

#include <string>
#include <vector>

namespace offline_cache {

const std::vector<const char*>& schema_migrations();
// Applies every migration after the file's user_version; *from_version says where it started.
bool migrate(sqlite3* db, int* from_version, std::string* error);
// Applies migrations up to `version` exactly (tests make old files with it).
bool migrate_to(sqlite3* db, int version, std::string* error);

}  // namespace offline_cache
