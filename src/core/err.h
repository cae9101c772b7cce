/* err.h: the error codes every fallible fzstat function returns (0 = success). */
#ifndef FZ_ERR_H
#define FZ_ERR_H

enum {
    FZ_OK = 0,
    FZ_EIO = -1,       /* the operating system refused a read or write */
    FZ_EINPUT = -2,    /* the input is malformed (encoding, CSV, binary, ...) */
    FZ_ELIMIT = -3,    /* the input exceeds a documented limit */
    FZ_ENOTFOUND = -4, /* a file, column or key that must exist does not */
    FZ_EDEP = -5,      /* an optional dependency (font, OCR data) is missing */
    FZ_EUNSUPPORTED = -6 /* a known format fzstat cannot read (.doc, .wps) */
};

const char *fz_strerror(int code);

#endif
