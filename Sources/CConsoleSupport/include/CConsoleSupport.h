// The console's C shim: what Swift cannot do safely itself. A child on a pseudo-terminal with a
// controlling terminal (forkpty; the child runs only C), signal handlers that only record and
// wake the loop (and restore the terminal on fatal signals), and a libvterm screen with its
// callbacks and scrollback, read cell by cell as flat structs.
#ifndef FIREDRILL_CONSOLE_SUPPORT_H
#define FIREDRILL_CONSOLE_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

// MARK: - Pseudo-terminal

/// Forks a child on a new pseudo-terminal of rows x cols, in `directory` (when not NULL), with
/// `environment` entries ("KEY=value") added, running argv[0] looked up on PATH. Returns the
/// child's pid (and the master side in *master), or -1 with errno set.
pid_t fd_spawn_pty(char *const argv[], char *const environment[], const char *directory,
                   int rows, int cols, int *master);

/// Tells the pseudo-terminal (and so its foreground process group) its new size.
int fd_pty_resize(int master, int rows, int cols);

// MARK: - Memory

/// Keeps the process small: at most two malloc arenas, and large blocks mapped and returned to
/// the system when freed. Call first, before threads start.
void fd_tune_memory(void);

// MARK: - Signals

/// Remembers the terminal's settings (for the fatal-signal path) and installs the handlers:
/// SIGTERM, SIGHUP, SIGINT and SIGQUIT only record the signal and write a byte to `wake_fd`;
/// SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGABRT restore the terminal, then die as they would
/// have. SIGPIPE is ignored.
void fd_install_signal_handlers(int terminal_fd, int wake_fd);

/// The last termination signal received and not yet taken (0 when none); clears it.
int fd_take_quit_signal(void);

/// Restores the terminal's saved settings and leaves the alternate screen, mouse modes and
/// hidden cursor: safe anywhere, used on every path out after ncurses' own endwin.
void fd_restore_terminal(void);

// MARK: - Terminal emulator (libvterm)

enum {
    FD_ATTR_BOLD = 1, FD_ATTR_UNDERLINE = 2, FD_ATTR_ITALIC = 4,
    FD_ATTR_REVERSE = 8, FD_ATTR_BLINK = 16, FD_ATTR_STRIKE = 32,
};

/// One cell: the characters, the width (1, 2, or 0 for the right half of a wide character),
/// colours as -1 (default) or a 256-colour index, and FD_ATTR_* bits.
typedef struct {
    uint32_t chars[6];
    int width;
    int fg;
    int bg;
    int attrs;
} fd_cell;

typedef struct fd_vterm fd_vterm;

/// An emulator of rows x cols whose replies and keys are written to `output_fd` (the PTY),
/// keeping up to `scrollback` lines that scrolled off the top.
fd_vterm *fd_vterm_new(int rows, int cols, int output_fd, int scrollback);
void fd_vterm_free(fd_vterm *term);
/// Feeds bytes read from the PTY.
void fd_vterm_input(fd_vterm *term, const char *bytes, size_t length);
void fd_vterm_resize(fd_vterm *term, int rows, int cols);
/// The cell at row, col; rows below 0 are scrollback (-1 the newest line). 0 when out of range.
int fd_vterm_cell(const fd_vterm *term, int row, int col, fd_cell *cell);
int fd_vterm_scrollback_count(const fd_vterm *term);
/// Cursor position and visibility.
void fd_vterm_cursor(const fd_vterm *term, int *row, int *col, int *visible);
/// Whether the screen changed since the last call.
int fd_vterm_take_damage(fd_vterm *term);
/// A counter of changes (screen, cursor, scrollback): equal values, equal screens.
unsigned long long fd_vterm_generation(const fd_vterm *term);
/// Whether a full-screen program switched to the alternate screen.
int fd_vterm_altscreen(const fd_vterm *term);
/// Keys, encoded as the emulated terminal would (application cursor mode and all).
/// `key` is a VTermKey; `modifiers` VTERM_MOD_* bits.
void fd_vterm_key(fd_vterm *term, int key, int modifiers);
void fd_vterm_char(fd_vterm *term, uint32_t character, int modifiers);

#endif
