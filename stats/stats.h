/* stats.h: from observations to comparable statistics (GSL).
 *
 * fz_stats_run() builds the panel (one primary figure per unit, year and
 * indicator), normalizes it, summarizes it and returns named fz_tables. It
 * only reads the fz_obs; tables belong to the fz_stats and are borrowed until
 * fz_stats_free(). The long table points at the phrases and snippets of the
 * fz_obs instead of copying them: free the fz_stats before the fz_obs. Writing them (CSV, xlsx) is src/tables' job, drawing them
 * is plots/'. This module sees only src/core and GSL.
 *
 * Calling order: fz_stats_run() -> [fz_stats_finish()] ->
 * fz_stats_table()/fz_stats_tables() -> fz_stats_free() -> fz_obs_free().
 *
 * Panel rules
 * - A unit is a region_code, plus the department for a department report
 *   (level "department"). Only documents with a region_code and a year enter;
 *   the others are listed in "conflicts" (no_region, no_year).
 * - Only rows with primary == 1 and a non-empty indicator are used.
 * - Two documents for one unit and year: the later published one is kept
 *   (ties, or no dates: the later document number); "conflicts" lists it as
 *   duplicate_report and the kept cells carry flag later_report.
 * - Two primary rows of one indicator in one document with different values:
 *   the first (lowest obs row) is kept, flag differing_primary.
 * - A figure the reports do not state is NA (an empty cell), never 0.
 * - Rates vs counts: the kind from opts->indicators (columns id, kind) if
 *   given, else unit "%" or "‰" means rate, anything else count. Counts are
 *   summed in roll-ups and get per-capita and share values; rates never are.
 * - The qualifier (exact, at_least, approx, at_most, range) travels into every
 *   table: long has it per cell, wide per indicator, the others count the
 *   non-exact inputs in qualified_n.
 * - Codes: township 9 digits, county 6, prefecture 4, province 2 significant
 *   digits; the parent of a code is its 6/4/2-digit prefix (a 6-digit
 *   prefecture code ending in 00 is read as 4 digits, ending in 0000 as a
 *   province). The level comes from the document; when it is missing, from
 *   the code.
 *
 * Statistics (n = number of non-NA values; any statistic of n = 0 is NA)
 * - zscore: (v - mean)/sd over units of the same indicator, year and level;
 *   sd is the sample sd (n-1); NA if n < 2 or sd = 0.
 * - minmax: 100*(v - min)/(max - min) in the same group; NA if max = min.
 * - rank: 1 = largest value in the group; ties share the lowest rank
 *   (1, 2, 2, 4). percentile: 100*(below + (equal-1)/2)/(n-1), NA if n = 1.
 * - index: 100*v/v(base year) in the same unit and indicator; base year is
 *   opts->base_year, or the unit's first year with this indicator; NA when
 *   the base value is missing or 0.
 * - yoy_change, yoy_pct: against year-1 of the same unit and indicator only.
 * - per10k: counts only, 10000*v/population of the nearest population year
 *   (ties: the earlier year); population_year says which year was used.
 * - parent_total: the sum of the counts of all units of the same level,
 *   year and indicator under the same parent code; parent_share = 100*v/it.
 * - summary: mean, sd (n-1), median, q1/q3 (linear interpolation between
 *   order statistics, as gsl_stats_quantile_from_sorted_data), min, max,
 *   cv = sd/mean (NA if mean = 0), mad = median |v - median|, outliers =
 *   values with |v - median| > 3.5 * 1.4826 * mad (NA if n < 3 or mad = 0).
 * - trends: units with 3+ years of an indicator: OLS (gsl_fit_linear) of
 *   value on year, slope_se = sqrt(cov11), t = slope/slope_se, df = n-2,
 *   p_value two-sided from the t distribution; cagr = 100*((last/first)^
 *   (1/(last_year-first_year)) - 1), NA unless first > 0 and last >= 0.
 * - correlations: for every pair of indicators within a level, over unit-years
 *   where both are present (pairwise complete): Pearson and Spearman r, NA
 *   if n < 3 or a variance is 0.
 * - composite: per unit and year, the weighted mean over the weighted
 *   indicators present of score = minmax (direction +1) or 100 - minmax
 *   (direction -1); a component needs a minmax value (2+ distinct values in
 *   its group). coverage = 100 * weights of the components used / all
 *   weights. NA if no component. rank within year and level (1 = highest).
 * - rollups: for each parent (county, prefecture, province) and year and
 *   indicator: counts are summed (method sum), rates averaged (method mean,
 *   plus median); the value of a child is its own figure, else its own
 *   roll-up. children_known = children of that parent seen in the panel (any
 *   year, any indicator), children_reported = those with a value here.
 *
 * Row order is deterministic: region_code, department, year, indicator id
 * (byte order), as listed per table.
 *
 * Tables and their columns, exactly (fz_table names; CSV files <name>.csv).
 * obs_row is the 1-based row number in the fz_obs (= the data row number of
 * the observations CSV it was read from); obs_rows is a ';'-separated list of
 * them; doc is the 1-based document number.
 *
 * long         one row per unit, year, indicator (sorted by region_code,
 *              department, year, indicator):
 *   region_code, region_name, department, level, parent_code, year,
 *   indicator, kind, value, value_high, unit, qualifier, zscore, minmax,
 *   rank, percentile, n_peers, base_year, index, yoy_change, yoy_pct,
 *   population, population_year, per10k, parent_total, parent_share, flags,
 *   obs_row, doc, file, line, page, phrase, snippet
 *   (n_peers: n of the zscore group; flags: ';'-separated later_report,
 *   differing_primary, nearest_population)
 * wide         one row per unit and year:
 *   region_code, region_name, department, level, year, doc, then for every
 *   indicator id present in the panel (sorted): <id>, <id>_qualifier
 * summary      one row per indicator, year, level (sorted in that order,
 *              level as province, prefecture, county, township, department):
 *   indicator, kind, year, level, n, mean, sd, median, q1, q3, min, max, cv,
 *   mad, outliers, outlier_regions, qualified_n, obs_rows
 *   (outlier_regions: ';'-separated region codes)
 * trends       one row per unit and indicator with 3+ years:
 *   region_code, region_name, department, level, indicator, kind, n_years,
 *   first_year, last_year, first_value, last_value, slope, intercept,
 *   slope_se, t, df, p_value, cagr, qualified_n, obs_rows
 *   (fitted value = intercept + slope * year)
 * correlations one row per level and pair of indicators (x < y) with n >= 1:
 *   level, indicator_x, indicator_y, n, pearson, spearman, slope, intercept
 *   (slope, intercept: OLS line of indicator_y on indicator_x, for scatter
 *   plots; NA when pearson is)
 * composite    one row per unit and year with at least one weighted
 *              indicator present:
 *   region_code, region_name, department, level, year, composite, rank,
 *   n_components, n_weights, coverage, qualified_n, obs_rows
 * rollups      one row per parent region, year, indicator:
 *   region_code, region_name, level, year, indicator, kind, method, value,
 *   median, children_reported, children_known, coverage, own_value,
 *   qualified_n, child_codes, obs_rows
 *   (method sum or mean; median only for rates; own_value: the parent's own
 *   reported figure if it is in the panel, for comparison)
 * conflicts    one row per problem, in document order:
 *   type, region_code, region_name, year, indicator, doc_kept, doc_other,
 *   file_kept, file_other, published_kept, published_other, value_kept,
 *   value_other, obs_row_kept, obs_row_other, detail
 *   (type: duplicate_report, differing_primary, no_region, no_year)
 * coverage     one row per indicator, year, level:
 *   indicator, kind, year, level, units, reporting, coverage, qualified_n
 *   (units: units of that level with a document that year; reporting: those
 *   stating the indicator; coverage = 100*reporting/units)
 */
#ifndef FZ_STATS_H
#define FZ_STATS_H

#include <stddef.h>

#include "diag.h"
#include "obs.h"
#include "table.h"

#define FZ_STATS_NTABLES 9 /* long wide summary trends correlations composite
                              rollups conflicts coverage */

typedef struct fz_stats_opts {
    int             base_year;  /* index base year; 0 = each unit's first year */
    const fz_table *population; /* columns region_code, year, population; or NULL */
    const fz_table *weights;    /* columns indicator, weight, direction; or NULL */
    const fz_table *indicators; /* columns id, kind (count/rate); or NULL */
    const char     *source;     /* file name for diagnostics about the inputs */
    int             jobs;       /* threads building the tables; <= 1: this thread */
    int             rollups_later; /* 1: fz_stats_finish() builds the roll-ups, if the
                                      panel has FZ_ROLLUPS_LATER_CELLS cells or fewer */
} fz_stats_opts;

/* Building the roll-ups takes about 46 bytes a cell of the panel at its
 * peak (23 of them the table); left for later, that peak meets whatever
 * runs then (the PDF's). Above this many cells (about 24 MB) fz_stats_run()
 * builds them itself, beside the other tables. */
#define FZ_ROLLUPS_LATER_CELLS ((size_t)1 << 19)

typedef struct fz_stats fz_stats;

/* Never NULL unless opts is unusable (a population or weights table without
 * its columns): then NULL with a FATAL diagnostic. Problems in single rows of
 * those tables are WARN diagnostics and the row is ignored. opts may be NULL. */
fz_stats *fz_stats_run(const fz_obs *obs, const fz_stats_opts *opts, fz_diag *diag);
void      fz_stats_free(fz_stats *s); /* NULL is fine */

/* Builds the tables fz_stats_run() left for later (the roll-ups, when
 * opts->rollups_later and the panel is small enough), e.g. on a thread that
 * writes CSV files while another reads the other tables; until then they
 * are NULL. Call it on one thread, once (again: nothing to do). */
void fz_stats_finish(fz_stats *s);

/* The table called name ("long", "wide", ...), or NULL. */
const fz_table *fz_stats_table(const fz_stats *s, const char *name);

/* All tables in the order listed above; *n gets FZ_STATS_NTABLES. */
const fz_table *const *fz_stats_tables(const fz_stats *s, size_t *n);

/* Frees one table (by name) once it is no longer needed, e.g. written out
 * and not read by the report; fz_stats_table() then returns NULL for it and
 * fz_stats_tables() has NULL in its place. Other tables are untouched, so
 * another thread may go on reading them, but not this one. */
void fz_stats_release_table(fz_stats *s, const char *name);

#endif
