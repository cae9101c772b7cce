/* textfilter.h: the characters fz_text_process removes after NFKC, shared by
 * text.c and the table generator (gen/mktables.c) so the two cannot differ.
 * Control characters (general category Cc) are removed too; tab becomes a
 * space. */
#ifndef FZ_TEXTFILTER_H
#define FZ_TEXTFILTER_H

#include <stdint.h>

/* Format characters that are invisible in reports but split numbers
 * ("8\u200B宗"); they are removed like control characters. */
static inline int fz_text_invisible(int32_t c)
{
    return c == 0x00AD || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF;
}

#endif
