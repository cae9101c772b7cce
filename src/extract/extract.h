/* extract.h: every indicator figure in one document.
 *
 * fz_extract_doc() reads a normalized fz_document (reader.h) and appends one
 * fz_obs_row per figure to an fz_obs. It owns nothing of the document; rows
 * are copied into the fz_obs. An extractor is per-thread scratch (hit lists,
 * figure list, string buffers) reusable across documents; the lexicon it was
 * made from must outlive it and may be shared read-only between extractors.
 * Calling order: fz_lexicon_load -> fz_extractor_new -> fz_extract_doc ... ->
 * fz_extractor_free -> fz_lexicon_free.
 *
 * How a figure is found (each rule quotes the phrasing behind it):
 *   1. The text is walked sentence by sentence (。 ; ! ? and line ends); a
 *      sentence without a digit, Chinese numeral or zero word is skipped
 *      after one cheap scan. Other sentences get one pass of the lexicon's
 *      keyword automaton.
 *   2. Quantities come from numeral.h (number + measure word or %, with
 *      qualifier). Numbers inside 《》 (law names with years), inside short
 *      quotes (“一村一法律顾问”, “12345”) and in plan sections (a top heading
 *      such as 三、下一步工作计划 / 2025年工作设想 up to the next top heading:
 *      targets, not results) are not figures.
 *   3. A quantity belongs to the indicator whose keyword governs it in the
 *      same clause (, ; : ( ) end clauses; 、, a short aside like 村(社区) and
 *      a label colon right before the number (案件:12件) do not):
 *        - a keyword right after it (共收有413宗投诉件, 114块网格, 5个驻村律师)
 *          names what is counted: it wins, and if its indicator does not take
 *          the measure word the quantity counts something else;
 *        - a generic classifier (个 块 家) followed by another noun counts
 *          that noun (20个村委会), not the keyword before;
 *        - 对 before the number fronts the counted object: the first keyword
 *          after it in the clause governs (对18份重大行政决策事项开展合法性审查);
 *        - after 分别 the n-th quantity goes to the n-th keyword before it
 *          (行政复议和行政诉讼案件分别为5件和3件);
 *        - else the keywords before it, after the previous quantity of the
 *          clause and at most FZ_EXTRACT_MAX_GAP characters away
 *          (行政处罚案件8宗, 网格员112名, 排查次数共400余次). Score:
 *          priority * 10 characters minus the distance, so the nearer keyword
 *          wins between equals (Chinese compounds are head-final) and a more
 *          specific one beats a nearer generic one (共成功调处矛盾纠纷203件 is
 *          mediation_success, not mediation_cases). Equal best scores for two
 *          indicators: nothing is emitted and *ambiguous is counted.
 *      The measure word must be one the indicator accepts; a rate needs % and
 *      a rate keyword (bare 成功率 only with 调解/调处/化解/纠纷 in the sentence);
 *      generic words (排查, 群众, 资料) likewise need their context word.
 *      One percentage after 均/都 goes to every rate keyword before it
 *      (满意率、办结率均达100%). A change is not a level: 同比/增长/下降...
 *      between keyword and number drop the keyword (办结率同比提高5%; but
 *      提升至98% is a level). A target is not a result: 确保/力争/争取/目标/
 *      预计/计划开展 earlier in the clause (not 按计划) leave it unassigned.
 *   4. A clause with no keyword but a processing verb (受理 办结 审结 ...) and
 *      the same measure word as the previous figure of the sentence continues
 *      it: 行政复议案件共11宗,审查后符合受理9宗 gives a second, secondary
 *      figure of the same indicator.
 *   5. Zero in words is a figure of 0 in the indicator's canonical unit when
 *      attached to a keyword: 零投诉, 无一例/无一起 next to a keyword (the
 *      unit is 例/起), 没有发生/未发生 ... <keyword> at the end of the clause;
 *      a 和/及/与/、 list of keywords gets one zero each.
 *
 * Primary rule: within one document and indicator, among the figures that
 * are not "partial", the first in text order of the highest scope tier is
 * primary; all others are secondary. The tier comes from words in the
 * figure's clause before its number: 2 for 全年/全镇/全区/全县/全市...,
 * 1 for 共/累计/总计/合计/今年/本年度, else 0 (so 全年受理纠纷152件 beats an
 * earlier 法律顾问参与调解矛盾纠纷20起; between equals the first wins). A
 * figure is partial when
 *   - its keyword carries a lower-level prefix (村调委会20个, 村(居)..., 社区...,
 *     各村...: 村 居 社区, or 各 + any level), or a 镇/乡/街道 prefix while the
 *     same sentence lists another level of the same indicator (镇调委会1个、
 *     村调委会20个); a lone 街道人民调解委员会29个 is the area itself;
 *   - 其中 stands in its own clause before it (其中网上信访13件), or earlier
 *     in the sentence after a figure of the same indicator (其中 does not reach
 *     other indicators: ...其中专职网格员27名,处置网格事件697宗);
 *   - it sits inside parentheses, or it continues a previous figure (rule 4);
 *   - an earlier year (YYYY年, outside 《》) stands before it in its sentence
 *     than the latest year any figure of the document is dated to
 *     (2022年受理投诉50件。2023年受理投诉80件。: 50 is a comparison).
 * If every figure of an indicator is partial, none is primary.
 *
 * Performance: no allocation per figure (the extractor's buffers grow to the
 * largest document and are reused); one tight pass over the text finds the
 * sentences and records where their numerals are, so the quantity scan visits
 * only those (fz_quantity_step); the automaton is a byte DFA run only over
 * sentences that hold a quantity or a zero word; a sentence is at most
 * FZ_EXTRACT_MAX_SENTENCE bytes and a clause reaches at most 200 characters
 * each way, so run-on input stays linear. */
#ifndef FZ_EXTRACT_H
#define FZ_EXTRACT_H

#include <stddef.h>

#include "lexicon.h"
#include "obs.h"
#include "reader.h"

#define FZ_EXTRACT_MAX_GAP     24  /* characters between a keyword and its number */
#define FZ_EXTRACT_SNIPPET_MAX 120 /* characters of context kept per figure */
#define FZ_EXTRACT_MAX_SENTENCE 16384 /* bytes; longer runs without 。;!? are cut */

typedef struct fz_extractor fz_extractor;

fz_extractor *fz_extractor_new(const fz_lexicon *lex);
void          fz_extractor_free(fz_extractor *x); /* NULL is fine */

enum {
    /* Also append quantities no indicator claimed (indicator "", primary 0,
     * noun = the noun phrase they count) for 'fzstat indicators --suggest'. */
    FZ_EXTRACT_ALL_QUANTITIES = 1
};

/* Appends one fz_obs_row per figure (row.doc = doc_index) to out, primary
 * marked; returns the number of rows appended (>= 0; with
 * FZ_EXTRACT_ALL_QUANTITIES that includes the unmapped quantities).
 * *ambiguous (may be NULL) gets the count of quantities left out because two
 * indicators claimed them equally. */
int fz_extract_doc(fz_extractor *x, const fz_document *doc, size_t doc_index, unsigned flags,
                   fz_obs *out, int *ambiguous);

#endif
