-- 0022 statistics cells (Sqlite): see the Postgres file for the why.

CREATE TABLE "statistics_cells" (
    "scope" INTEGER NOT NULL,
    "measure" TEXT NOT NULL,
    "breakdown" TEXT NOT NULL,
    "month" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "people" INTEGER NOT NULL,
    "computed_at" TEXT NOT NULL,
    CONSTRAINT "pk_statistics_cells" PRIMARY KEY ("scope", "measure", "breakdown", "month", "key")
);
