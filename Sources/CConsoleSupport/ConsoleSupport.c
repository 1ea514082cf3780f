#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "CConsoleSupport.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <vterm.h>

// MARK: - Pseudo-terminal

pid_t fd_spawn_pty(char *const argv[], char *const environment[], const char *directory,
                   int rows, int cols, int *master) {
    struct winsize size = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
    pid_t pid = forkpty(master, NULL, NULL, &size);
    if (pid != 0) {
        if (pid > 0) fcntl(*master, F_SETFD, FD_CLOEXEC);
        return pid;
    }
    // The child: only C from here on.
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    int sigs[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGWINCH, SIGTSTP, SIGTTIN, SIGTTOU };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &dfl, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int i = 0; environment && environment[i]; i++) putenv(environment[i]);
    if (directory && chdir(directory) != 0) _exit(126);
    execvp(argv[0], argv);
    _exit(127);
}

int fd_pty_resize(int master, int rows, int cols) {
    struct winsize size = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
    return ioctl(master, TIOCSWINSZ, &size);
}

// MARK: - Memory

void fd_tune_memory(void) {
    // Two malloc arenas, not one per thread that ever allocated (each keeps what it freed), and
    // a fixed mmap threshold: a large block (a check's 5 MB upload payload) is mapped and given
    // back when freed, instead of raising the threshold and staying in an arena's heap.
    mallopt(M_ARENA_MAX, 2);
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
}

// MARK: - Signals

static struct termios saved_termios;
static int saved_terminal_fd = -1;
static int wake_descriptor = -1;
static volatile sig_atomic_t quit_signal = 0;

static void write_all(int fd, const char *text) {
    size_t length = strlen(text);
    while (length > 0) {
        ssize_t n = write(fd, text, length);
        if (n <= 0) { if (n < 0 && errno == EINTR) continue; return; }
        text += n;
        length -= (size_t)n;
    }
}

void fd_restore_terminal(void) {
    if (saved_terminal_fd < 0) return;
    tcsetattr(saved_terminal_fd, TCSAFLUSH, &saved_termios);
    // Mouse reporting off, attributes reset, cursor shown, main screen back.
    write_all(saved_terminal_fd, "\033[?1000l\033[?1002l\033[?1003l\033[?1006l\033[0m\033[?25h\033[?1049l\r");
}

static void on_quit(int sig) {
    int saved = errno;
    quit_signal = sig;
    if (wake_descriptor >= 0) { char byte = 's'; ssize_t ignored = write(wake_descriptor, &byte, 1); (void)ignored; }
    errno = saved;
}

static void on_fatal(int sig) {
    fd_restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

void fd_install_signal_handlers(int terminal_fd, int wake_fd) {
    if (tcgetattr(terminal_fd, &saved_termios) == 0) saved_terminal_fd = terminal_fd;
    wake_descriptor = wake_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_handler = on_quit;
    int quits[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };
    for (size_t i = 0; i < sizeof quits / sizeof quits[0]; i++) sigaction(quits[i], &action, NULL);
    action.sa_handler = on_fatal;
    action.sa_flags = SA_RESETHAND;
    int fatals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
    for (size_t i = 0; i < sizeof fatals / sizeof fatals[0]; i++) sigaction(fatals[i], &action, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int fd_take_quit_signal(void) {
    int sig = quit_signal;
    quit_signal = 0;
    return sig;
}

// MARK: - Terminal emulator

// A scrollback cell, packed in 8 bytes (an fd_cell takes 40): the base character (combining
// marks are dropped once a line has scrolled off), 256-colour indexes, attributes and width.
typedef struct {
    uint32_t ch;
    uint8_t fg, bg;
    uint8_t flags;  // PACKED_DEFAULT_FG, PACKED_DEFAULT_BG, then FD_ATTR_* bits shifted by 2
    uint8_t width;
} packed_cell;

enum { PACKED_DEFAULT_FG = 1, PACKED_DEFAULT_BG = 2 };

// A line kept without its trailing blanks: most lines are much shorter than the terminal.
typedef struct {
    int cols;
    packed_cell *cells;
} scrollback_line;

static void pack(const fd_cell *in, packed_cell *out) {
    out->ch = in->chars[0];
    out->fg = in->fg < 0 ? 0 : (uint8_t)in->fg;
    out->bg = in->bg < 0 ? 0 : (uint8_t)in->bg;
    out->flags = (uint8_t)((in->fg < 0 ? PACKED_DEFAULT_FG : 0) | (in->bg < 0 ? PACKED_DEFAULT_BG : 0) | ((in->attrs & 0x3F) << 2));
    out->width = (uint8_t)in->width;
}

static void unpack(const packed_cell *in, fd_cell *out) {
    memset(out, 0, sizeof *out);
    out->chars[0] = in->ch;
    out->width = in->width;
    out->fg = (in->flags & PACKED_DEFAULT_FG) ? -1 : in->fg;
    out->bg = (in->flags & PACKED_DEFAULT_BG) ? -1 : in->bg;
    out->attrs = in->flags >> 2;
}

// Shows nothing: no character (or a space) on the default background, no reverse or underline.
static int is_blank(const fd_cell *cell) {
    return (cell->chars[0] == 0 || cell->chars[0] == ' ') && cell->bg < 0 && (cell->attrs & (FD_ATTR_REVERSE | FD_ATTR_UNDERLINE | FD_ATTR_STRIKE)) == 0;
}

struct fd_vterm {
    VTerm *vt;
    VTermScreen *screen;
    int output_fd;
    int damaged;
    unsigned long long generation; // counts every change of the screen, cursor or scrollback
    int altscreen;
    int cursor_visible;
    VTermPos cursor;
    scrollback_line *lines;   // a ring
    int capacity, count, head; // head: index of the oldest line
};

static int to_index(const VTermScreen *screen, VTermColor color, int is_fg) {
    if (is_fg ? VTERM_COLOR_IS_DEFAULT_FG(&color) : VTERM_COLOR_IS_DEFAULT_BG(&color)) return -1;
    if (VTERM_COLOR_IS_INDEXED(&color)) return color.indexed.idx;
    (void)screen;
    // 24-bit colour to the nearest of the 6x6x6 cube or the grey ramp of the 256 colours.
    int r = color.rgb.red, g = color.rgb.green, b = color.rgb.blue;
    if (r == g && g == b) {
        if (r < 8) return 16;
        if (r > 248) return 231;
        return 232 + (r - 8) / 10;
    }
    int cr = (r < 48) ? 0 : (r < 115 ? 1 : (r - 35) / 40);
    int cg = (g < 48) ? 0 : (g < 115 ? 1 : (g - 35) / 40);
    int cb = (b < 48) ? 0 : (b < 115 ? 1 : (b - 35) / 40);
    return 16 + 36 * cr + 6 * cg + cb;
}

static void flatten(const VTermScreen *screen, const VTermScreenCell *in, fd_cell *out) {
    memset(out, 0, sizeof *out);
    for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && i < 6 && in->chars[i]; i++) out->chars[i] = in->chars[i];
    out->width = in->width;
    out->fg = to_index(screen, in->fg, 1);
    out->bg = to_index(screen, in->bg, 0);
    int attrs = 0;
    if (in->attrs.bold) attrs |= FD_ATTR_BOLD;
    if (in->attrs.underline) attrs |= FD_ATTR_UNDERLINE;
    if (in->attrs.italic) attrs |= FD_ATTR_ITALIC;
    if (in->attrs.reverse) attrs |= FD_ATTR_REVERSE;
    if (in->attrs.blink) attrs |= FD_ATTR_BLINK;
    if (in->attrs.strike) attrs |= FD_ATTR_STRIKE;
    out->attrs = attrs;
}

static void mark_damaged(fd_vterm *term) { term->damaged = 1; term->generation++; }
static int on_damage(VTermRect rect, void *user) { (void)rect; mark_damaged(user); return 1; }
static int on_moverect(VTermRect dest, VTermRect src, void *user) { (void)dest; (void)src; mark_damaged(user); return 1; }
static int on_movecursor(VTermPos pos, VTermPos old, int visible, void *user) {
    (void)old;
    fd_vterm *term = user;
    term->cursor = pos;
    term->cursor_visible = visible;
    mark_damaged(term);
    return 1;
}
static int on_settermprop(VTermProp prop, VTermValue *value, void *user) {
    fd_vterm *term = user;
    if (prop == VTERM_PROP_ALTSCREEN) term->altscreen = value->boolean;
    if (prop == VTERM_PROP_CURSORVISIBLE) term->cursor_visible = value->boolean;
    mark_damaged(term);
    return 1;
}
static int on_bell(void *user) { (void)user; return 1; }

static int on_pushline(int cols, const VTermScreenCell *cells, void *user) {
    fd_vterm *term = user;
    term->generation++;
    if (term->capacity == 0) return 1;
    int slot;
    if (term->count < term->capacity) {
        slot = (term->head + term->count) % term->capacity;
        term->count++;
    } else {
        slot = term->head;
        term->head = (term->head + 1) % term->capacity;
    }
    scrollback_line *line = &term->lines[slot];
    fd_cell flat[cols > 0 ? cols : 1];
    int used = 0;
    for (int i = 0; i < cols; i++) {
        flatten(term->screen, &cells[i], &flat[i]);
        if (!is_blank(&flat[i])) used = i + 1;
    }
    if (line->cols != used) {
        free(line->cells);
        line->cells = used ? malloc((size_t)used * sizeof(packed_cell)) : NULL;
        line->cols = line->cells ? used : 0;
    }
    for (int i = 0; i < line->cols; i++) pack(&flat[i], &line->cells[i]);
    return 1;
}

static int on_popline(int cols, VTermScreenCell *cells, void *user) {
    fd_vterm *term = user;
    if (term->count == 0) return 0;
    term->generation++;
    int slot = (term->head + term->count - 1) % term->capacity;
    scrollback_line *line = &term->lines[slot];
    for (int i = 0; i < cols; i++) {
        memset(&cells[i], 0, sizeof cells[i]);
        cells[i].width = 1;
        vterm_color_indexed(&cells[i].fg, 7);
        cells[i].fg.type |= VTERM_COLOR_DEFAULT_FG;
        vterm_color_indexed(&cells[i].bg, 0);
        cells[i].bg.type |= VTERM_COLOR_DEFAULT_BG;
        if (i < line->cols) {
            cells[i].chars[0] = line->cells[i].ch;
            cells[i].width = line->cells[i].width ? (char)line->cells[i].width : 1;
        }
    }
    term->count--;
    return 1;
}

static const VTermScreenCallbacks callbacks = {
    .damage = on_damage,
    .moverect = on_moverect,
    .movecursor = on_movecursor,
    .settermprop = on_settermprop,
    .bell = on_bell,
    .sb_pushline = on_pushline,
    .sb_popline = on_popline,
};

static void on_output(const char *bytes, size_t length, void *user) {
    fd_vterm *term = user;
    while (length > 0 && term->output_fd >= 0) {
        ssize_t n = write(term->output_fd, bytes, length);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) { usleep(1000); continue; }
            return;
        }
        bytes += n;
        length -= (size_t)n;
    }
}

fd_vterm *fd_vterm_new(int rows, int cols, int output_fd, int scrollback) {
    fd_vterm *term = calloc(1, sizeof *term);
    if (!term) return NULL;
    term->vt = vterm_new(rows, cols);
    vterm_set_utf8(term->vt, 1);
    term->output_fd = output_fd;
    term->cursor_visible = 1;
    term->capacity = scrollback > 0 ? scrollback : 0;
    term->lines = term->capacity ? calloc((size_t)term->capacity, sizeof(scrollback_line)) : NULL;
    if (term->capacity && !term->lines) term->capacity = 0;
    vterm_output_set_callback(term->vt, on_output, term);
    term->screen = vterm_obtain_screen(term->vt);
    vterm_screen_set_callbacks(term->screen, &callbacks, term);
    vterm_screen_set_damage_merge(term->screen, VTERM_DAMAGE_SCROLL);
    vterm_screen_enable_altscreen(term->screen, 1);
    vterm_screen_reset(term->screen, 1);
    term->damaged = 1;
    return term;
}

void fd_vterm_free(fd_vterm *term) {
    if (!term) return;
    for (int i = 0; i < term->capacity; i++) free(term->lines[i].cells);
    free(term->lines);
    vterm_free(term->vt);
    free(term);
}

void fd_vterm_input(fd_vterm *term, const char *bytes, size_t length) {
    vterm_input_write(term->vt, bytes, length);
    vterm_screen_flush_damage(term->screen);
}

void fd_vterm_resize(fd_vterm *term, int rows, int cols) {
    if (rows < 1 || cols < 1) return;
    vterm_set_size(term->vt, rows, cols);
    vterm_screen_flush_damage(term->screen);
    mark_damaged(term);
}

int fd_vterm_cell(const fd_vterm *term, int row, int col, fd_cell *cell) {
    int rows, cols;
    vterm_get_size(term->vt, &rows, &cols);
    if (row >= rows || col < 0) return 0;
    if (row >= 0) {
        if (col >= cols) return 0;
        VTermScreenCell in;
        VTermPos pos = { .row = row, .col = col };
        if (!vterm_screen_get_cell(term->screen, pos, &in)) return 0;
        flatten(term->screen, &in, cell);
        return 1;
    }
    int back = -row; // 1 = newest
    if (back > term->count) return 0;
    const scrollback_line *line = &term->lines[(term->head + term->count - back) % term->capacity];
    if (col >= line->cols) {
        memset(cell, 0, sizeof *cell);
        cell->width = 1; cell->fg = -1; cell->bg = -1;
        return 1;
    }
    unpack(&line->cells[col], cell);
    return 1;
}

int fd_vterm_scrollback_count(const fd_vterm *term) { return term->count; }

void fd_vterm_cursor(const fd_vterm *term, int *row, int *col, int *visible) {
    *row = term->cursor.row;
    *col = term->cursor.col;
    *visible = term->cursor_visible;
}

int fd_vterm_take_damage(fd_vterm *term) {
    int damaged = term->damaged;
    term->damaged = 0;
    return damaged;
}

unsigned long long fd_vterm_generation(const fd_vterm *term) { return term->generation; }

int fd_vterm_altscreen(const fd_vterm *term) { return term->altscreen; }

void fd_vterm_key(fd_vterm *term, int key, int modifiers) {
    vterm_keyboard_key(term->vt, (VTermKey)key, (VTermModifier)modifiers);
}

void fd_vterm_char(fd_vterm *term, uint32_t character, int modifiers) {
    vterm_keyboard_unichar(term->vt, character, (VTermModifier)modifiers);
}
