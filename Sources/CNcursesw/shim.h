// ncursesw with wide characters, and static inline wrappers for what Swift cannot import:
// attribute macros, function-like macros, and C globals (not concurrency-safe in Swift 6).
#ifndef FIREDRILL_CNCURSESW_SHIM_H
#define FIREDRILL_CNCURSESW_SHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <curses.h>
#include <form.h>
#include <panel.h>

static inline WINDOW *fd_stdscr(void) { return stdscr; }
static inline int fd_lines(void) { return LINES; }
static inline int fd_cols(void) { return COLS; }
static inline int fd_colors(void) { return COLORS; }
static inline int fd_color_pairs(void) { return COLOR_PAIRS; }
static inline int fd_getmaxy(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int fd_getmaxx(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }

static inline attr_t fd_a_normal(void) { return A_NORMAL; }
static inline attr_t fd_a_bold(void) { return A_BOLD; }
static inline attr_t fd_a_dim(void) { return A_DIM; }
static inline attr_t fd_a_reverse(void) { return A_REVERSE; }
static inline attr_t fd_a_underline(void) { return A_UNDERLINE; }
static inline attr_t fd_a_italic(void) { return A_ITALIC; }
static inline attr_t fd_a_blink(void) { return A_BLINK; }

static inline mmask_t fd_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t fd_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t fd_button1_clicked(void) { return BUTTON1_CLICKED | BUTTON1_RELEASED | BUTTON1_DOUBLE_CLICKED; }
static inline mmask_t fd_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t fd_button5_pressed(void) {
#ifdef BUTTON5_PRESSED
    return BUTTON5_PRESSED;
#else
    return 0;
#endif
}

/// Puts one character cell (up to 5 code points: a base and combining marks) with an attribute
/// and an extended colour pair.
static inline int fd_put_cell(WINDOW *w, int y, int x, const wchar_t *chars, attr_t attrs, int pair) {
    cchar_t cell;
    if (setcchar(&cell, chars, attrs, 0, &pair) != OK) return ERR;
    return mvwadd_wch(w, y, x, &cell);
}

/// A colour pair, with ncurses' extended pairs (above 32767) where available.
static inline int fd_init_pair(int pair, int fg, int bg) {
#if NCURSES_EXT_COLORS
    return init_extended_pair(pair, fg, bg);
#else
    return init_pair((short)pair, (short)fg, (short)bg);
#endif
}

/// Reads one wide key: returns OK (a character in *ch), KEY_CODE_YES (a key code in *ch) or ERR.
static inline int fd_get_wch(WINDOW *w, unsigned int *ch) {
    wint_t c = 0;
    int r = wget_wch(w, &c);
    *ch = (unsigned int)c;
    return r;
}

#endif
