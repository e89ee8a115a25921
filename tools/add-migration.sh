#!/usr/bin/env bash
# Adds an EF Core migration for every database provider: one set per provider, each beside its context.
#   tools/add-migration.sh AddOnHold          # after changing the model (an entity or AppDbContext)
#   tools/add-migration.sh --check            # fails when either provider's migrations lag the model
# SQLite: AppDbContext, src/AppServer/Data/Migrations. PostgreSQL: PostgresAppDbContext, src/AppServer/Data/Migrations/PostgreSql.
# Neither needs a database: adding a migration compares the model with the provider's snapshot.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { echo "usage: $0 MigrationName | --check" >&2; exit 2; }
dotnet tool restore >/dev/null
cd src/AppServer
dotnet build --nologo -v q >/dev/null
contexts=("AppDbContext Data/Migrations" "PostgresAppDbContext Data/Migrations/PostgreSql")
for entry in "${contexts[@]}"; do
  read -r context folder <<<"$entry"
  if [ "$1" = "--check" ]; then
    dotnet ef migrations has-pending-model-changes --no-build --context "$context"
  else
    dotnet ef migrations add "$1" --no-build --context "$context" -o "$folder"
  fi
done
