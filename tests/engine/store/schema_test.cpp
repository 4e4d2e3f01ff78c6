// The schema: a fresh project is at the current version, migrations run once
// and atomically, and files the build cannot handle are refused unchanged.
#include "engine/store/schema.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <fstream>

#include "engine/store/project.h"
#include "tests/engine/store/store_test_util.h"

namespace distillery {
namespace {

using test::take;

TEST(SchemaTest, NewProjectIsAtTheCurrentVersionInWalMode) {
  Project project = test::makeProject("schema-new");
  EXPECT_EQ(project.schemaVersion(), currentSchemaVersion());
  SQLite::Database db(project.databaseFile().string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), currentSchemaVersion());
  EXPECT_EQ(db.execAndGet("PRAGMA application_id").getInt(), kProjectApplicationId);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
  for (const char* table : {"meta", "images", "categories", "annotations", "runs", "metrics",
                            "checkpoints", "review_log"})
    EXPECT_TRUE(db.tableExists(table)) << table;
  EXPECT_TRUE(std::filesystem::is_directory(project.modelsDir()));
  EXPECT_TRUE(std::filesystem::is_directory(project.runsDir()));
  EXPECT_TRUE(std::filesystem::is_directory(project.thumbsDir()));
}

TEST(SchemaTest, MigrationsRunOnceInOrder) {
  const auto dir = test::freshTempDir("schema-migrate");
  SQLite::Database db((dir / "m.sqlite").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  std::vector<Migration> migrations = projectMigrations();
  const int next = currentSchemaVersion() + 1;
  migrations.push_back({next, "CREATE TABLE extra (x INTEGER); INSERT INTO extra VALUES (7);"});
  EXPECT_EQ(applyMigrations(db, migrations), static_cast<int>(migrations.size()));
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), next);
  EXPECT_EQ(applyMigrations(db, migrations), 0);  // nothing left to do
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM extra").getInt(), 1);
}

TEST(SchemaTest, FailingMigrationLeavesTheOldVersion) {
  const auto dir = test::freshTempDir("schema-fail");
  SQLite::Database db((dir / "m.sqlite").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  applyMigrations(db, projectMigrations());
  std::vector<Migration> migrations = projectMigrations();
  migrations.push_back(
      {currentSchemaVersion() + 1, "CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table;"});
  EXPECT_THROW(applyMigrations(db, migrations), SQLite::Exception);
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), currentSchemaVersion());
  EXPECT_FALSE(db.tableExists("half"));
}

TEST(SchemaTest, OlderProjectIsMigratedOnReadWriteOpen) {
  const auto dir = test::freshTempDir("schema-old");
  {
    // A project file from before version 1: marked, but without tables.
    SQLite::Database db((dir / "project.sqlite").string(),
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA application_id = " + std::to_string(kProjectApplicationId));
  }
  auto readOnly = Project::open(dir, OpenMode::ReadOnly);
  ASSERT_FALSE(readOnly.ok());
  EXPECT_NE(readOnly.status().message().find("upgrade"), std::string::npos)
      << readOnly.status().message();
  Project project = take(Project::open(dir, OpenMode::ReadWrite));
  EXPECT_EQ(project.schemaVersion(), currentSchemaVersion());
  EXPECT_EQ(take(project.images().count()), 0);
  SQLite::Database db((dir / "project.sqlite").string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST(SchemaTest, FailedUpgradeLeavesTheProjectAsItWas) {
  Project project = test::makeProject("schema-failed-upgrade", 3);
  const auto dir = project.dir();
  project = take(Project::open(dir, OpenMode::ReadOnly));  // releases the write lock
  {
    SQLite::Database db((dir / "project.sqlite").string(), SQLite::OPEN_READWRITE);
    db.exec(
        "PRAGMA user_version = 0");  // version 1 will be re-applied over existing tables and fail
  }
  auto readWrite = Project::open(dir, OpenMode::ReadWrite);
  ASSERT_FALSE(readWrite.ok());
  SQLite::Database db((dir / "project.sqlite").string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 0);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM images").getInt(), 3);
}

TEST(SchemaTest, NewerSchemaIsRefusedWithoutChange) {
  Project project = test::makeProject("schema-newer", 2);
  const auto dir = project.dir();
  project = take(Project::open(dir, OpenMode::ReadOnly));
  {
    SQLite::Database db((dir / "project.sqlite").string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 99");
  }
  const std::string before = test::fileBytes(dir / "project.sqlite");
  for (OpenMode mode : {OpenMode::ReadWrite, OpenMode::ReadOnly}) {
    auto opened = Project::open(dir, mode);
    ASSERT_FALSE(opened.ok());
    EXPECT_NE(opened.status().message().find("newer Distillery"), std::string::npos)
        << opened.status().message();
    EXPECT_NE(opened.status().message().find("99"), std::string::npos);
  }
  EXPECT_TRUE(test::fileBytes(dir / "project.sqlite") == before) << "the database file changed";
}

TEST(SchemaTest, FolderThatIsNotAProjectIsRefusedAndLeftEmpty) {
  const auto dir = test::freshTempDir("schema-notproject");
  auto opened = Project::open(dir);
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.status().message().find("not a Distillery project"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  EXPECT_FALSE(Project::open(dir / "missing").ok());
}

TEST(SchemaTest, ForeignSqliteFileIsRefusedUnchanged) {
  const auto dir = test::freshTempDir("schema-foreign");
  {
    SQLite::Database db((dir / "project.sqlite").string(),
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE notes (t TEXT)");
  }
  const std::string before = test::fileBytes(dir / "project.sqlite");
  auto opened = Project::open(dir);
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.status().message().find("not a Distillery project database"), std::string::npos)
      << opened.status().message();
  EXPECT_TRUE(test::fileBytes(dir / "project.sqlite") == before) << "the database file changed";

  std::ofstream(dir / "project.sqlite", std::ios::trunc)
      << "this is not a database, just text that is long enough";
  opened = Project::open(dir);
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.status().message().find("project.sqlite"), std::string::npos)
      << opened.status().message();
}

TEST(SchemaTest, CreateRefusesAnExistingProjectAndBadClassLists) {
  Project project = test::makeProject("schema-twice");
  auto again = Project::create(project.dir());
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("already a Distillery project"), std::string::npos);
  ProjectOptions options;
  options.classes = {"a", "b", "a"};
  auto dup = Project::create(test::freshTempDir("schema-dup") / "p", options);
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("'a' appears twice"), std::string::npos);
}

TEST(SchemaTest, ReplacingAnImagesPredictionsSearchesByImage) {
  // The statement AnnotationStore::replacePredictions runs per image: it must
  // not scan every pending annotation (that made teacher batches quadratic).
  Project project = test::makeProject("schema-plan-delete", 1);
  SQLite::Database db(project.databaseFile().string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db,
                      "EXPLAIN QUERY PLAN DELETE FROM annotations WHERE image_id = 1 AND source = "
                      "'teacher' AND review = 'pending'");
  ASSERT_TRUE(q.executeStep());
  EXPECT_NE(
      q.getColumn(3).getString().find("annotations_image (image_id=? AND source=? AND review=?)"),
      std::string::npos)
      << q.getColumn(3).getString();
}

TEST(SchemaTest, GalleryQueriesUseAnIndexAndNoSort) {
  Project project = test::makeProject("schema-plan", 10);
  for (std::optional<ImageStatus> status :
       {std::optional<ImageStatus>(), std::optional(ImageStatus::Pending)}) {
    for (GallerySort sort : {GallerySort::Name, GallerySort::Id, GallerySort::Uncertainty}) {
      for (bool descending : {false, true}) {
        GalleryQuery q;
        q.status = status;
        q.sort = sort;
        q.descending = descending;
        const std::string plan = take(project.images().explain(q));
        EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << toString(sort) << "\n" << plan;
        if (status) {
          EXPECT_NE(plan.find("INDEX"), std::string::npos) << plan;
        }
        q.forceTableScan = true;
        if (sort != GallerySort::Id) {
          EXPECT_NE(take(project.images().explain(q)).find("TEMP B-TREE"), std::string::npos);
        }
      }
    }
  }
}

}  // namespace
}  // namespace distillery
