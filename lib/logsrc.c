// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <dirent.h>
#include <systemd/sd-id128.h>
#include <systemd/sd-journal.h>
#include <json.h>
#include <zlib.h>

#include "oomlens/logsrc.h"
#include "oomlens/logtime.h"
#include "oomlens/oomlog.h"

/* ---- sinks ---- */

static int parser_line(const char *s, size_t len, void *data)
{
	return ol_logparser_line(data, s, len) < 0 ? -ENOMEM : 0;
}

/* following, at the end of what was written: the lines to come are live */
static void parser_idle(void *data)
{
	ol_logparser_live(data);
	ol_logparser_flush(data, 1.0);
}

static int parser_busy(void *data)
{
	return ol_logparser_busy(data);
}

static void parser_skipped(unsigned long lines, void *data)
{
	ol_logparser_skip(data, lines);
}

void ol_logsink_parser(struct ol_logsink *s, struct ol_logparser *p)
{
	s->line = parser_line;
	s->idle = parser_idle;
	s->busy = parser_busy;
	s->skipped = parser_skipped;
	s->data = p;
}

static int stopped(const struct ol_logsrc_opts *o)
{
	return o && o->stop && *o->stop;
}

static void idle(const struct ol_logsink *s)
{
	if (s->idle)
		s->idle(s->data);
}

long long ol_boot_time_ns(void)
{
	struct timespec now, up;

	if (clock_gettime(CLOCK_REALTIME, &now) < 0 || clock_gettime(CLOCK_BOOTTIME, &up) < 0)
		return 0;
	return ((long long)now.tv_sec - up.tv_sec) * 1000000000LL + (now.tv_nsec - up.tv_nsec);
}

time_t ol_logsrc_mtime(const char *path)
{
	struct stat st;

	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return st.st_mtime;
	return 0;
}

/*
 * The last line of the file at @fd with a wall-clock date, when it has no
 * year: that date, dated against the file's @mtime (the log was last written
 * then).  Every other line of the log comes before it.  0 when the file is
 * compressed, or its last dated line has a year, or none in its last 64 KiB.
 */
time_t ol_logsrc_log_end_fd(int fd, time_t mtime)
{
	enum { TAIL = 65536 };
	struct ol_year_hint h = { .limit = mtime, .slack = 86400, .year = -1 };
	struct stat st;
	unsigned char magic[2];
	char *buf, *end;
	off_t from;
	ssize_t n;
	time_t t = 0;

	/* gzip's magic at its start, however long the file: its tail is no text */
	if (fd < 0 || !mtime || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b) || !(buf = malloc(TAIL)))
		return 0;
	from = st.st_size > TAIL ? st.st_size - TAIL : 0;
	n = pread(fd, buf, TAIL, from);
	if (n > 2) {
		for (end = buf + n; end > buf; ) {
			struct ol_logline l;
			char *s = end;

			while (s > buf && s[-1] != '\n')
				s--;
			if (s == buf && from > 0)
				break;	/* a line cut by the window */
			ol_log_unwrap(s, (size_t)(end - s), &l);
			if (l.have_tm) {
				if (!l.have_year)
					t = ol_yearless_epoch(&l.tm, &h);
				break;
			}
			end = s > buf ? s - 1 : buf;
		}
	}
	free(buf);
	return t;
}

time_t ol_logsrc_log_end(const char *path, time_t mtime)
{
	int fd;
	time_t t;

	if (!mtime || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	t = ol_logsrc_log_end_fd(fd, mtime);
	close(fd);
	return t;
}

/* ---- the kernel ring buffer ---- */

/* One record per read(), as util-linux dmesg reads: 1, 0 for none now (EAGAIN), or -errno. */
static int kmsg_read_one(int fd, char *buf, size_t sz, struct ol_kmsg_rec *rec)
{
	for (;;) {
		ssize_t n = read(fd, buf, sz - 1);

		if (n < 0) {
			if (errno == EINTR || errno == EPIPE)
				continue;	/* EPIPE: records overwritten under us */
			return errno == EAGAIN ? 0 : -errno;
		}
		if (n == 0)
			return 0;
		buf[n] = '\0';
		if (ol_kmsg_parse(buf, (size_t)n, rec) == 0)
			return 1;
	}
}

int ol_logsrc_kmsg_records(int (*fn)(const struct ol_kmsg_rec *rec, void *data), void *data,
			   const struct ol_logsrc_opts *o)
{
	char buf[8192];	/* a record is at most CONSOLE_EXT_LOG_MAX (8 KiB) */
	struct ol_kmsg_rec rec;
	int fd, rc = 0, dumped = 0;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (!stopped(o)) {
		int r = kmsg_read_one(fd, buf, sizeof(buf), &rec);

		if (r < 0) {
			rc = r;
			break;
		}
		if (r > 0) {
			if (fn(&rec, data))
				break;
			continue;
		}
		if (!dumped) {
			dumped = 1;
			if (o && o->dumped)
				o->dumped(o->data);
		}
		if (!o || !o->follow)
			break;
		/* the same descriptor: nothing written since the dump is lost */
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, 1000) == 0 && fn(NULL, data))
			break;
	}
	close(fd);
	return rc;
}

struct kmsg_lines {
	const struct ol_logsink *s;
	char line[8300];
};

static int kmsg_line(const struct ol_kmsg_rec *rec, void *data)
{
	struct kmsg_lines *kl = data;

	if (!rec) {
		idle(kl->s);	/* a second without records */
		return 0;
	}
	return kl->s->line(kl->line, ol_kmsg_line(rec, kl->line, sizeof(kl->line)), kl->s->data);
}

/* syslog(2)'s buffer, for kernels without /dev/kmsg (before 3.5). */
static int klog_read(const struct ol_logsink *s)
{
	int len = klogctl(10, NULL, 0);	/* SYSLOG_ACTION_SIZE_BUFFER */
	char *buf;
	int rc = 0;

	if (len <= 0)
		return len < 0 ? -errno : -EIO;
	buf = malloc((size_t)len + 1);
	if (!buf)
		return -ENOMEM;
	len = klogctl(3, buf, len);	/* SYSLOG_ACTION_READ_ALL */
	if (len < 0)
		rc = -errno;
	for (char *p = buf, *e; rc == 0 && len > 0 && p < buf + len; p = e + 1) {
		e = memchr(p, '\n', (size_t)(buf + len - p));
		if (!e)
			e = buf + len;
		rc = s->line(p, (size_t)(e - p), s->data);
	}
	free(buf);
	return rc < 0 ? rc : 0;
}

int ol_logsrc_kmsg(const struct ol_logsink *s, const struct ol_logsrc_opts *o)
{
	struct kmsg_lines kl = { .s = s };
	int rc = ol_logsrc_kmsg_records(kmsg_line, &kl, o);

	if (rc == -ENOENT)
		rc = klog_read(s);
	return rc;
}

/* ---- files ---- */

#define BLOCK	(1u << 20)

struct jconv;
static const struct ol_logsink *jconv_sniff(struct jconv **jc, const struct ol_logsink *s,
					     const char *buf, size_t len);
static int jconv_end(struct jconv *jc);

struct reader {
	gzFile gz;
	int fd;			/* under gz, for fstat() */
	const char *path;	/* to follow by name, or NULL */
};

static int reader_open(struct reader *r, int fd, int any_dev)
{
	struct stat st;

	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			close(fd);
			return -EISDIR;
		}
		if ((S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) && !any_dev) {
			close(fd);
			return -ENODEV;
		}
	}
	r->gz = gzdopen(fd, "rb");
	if (!r->gz) {
		close(fd);
		return -ENOMEM;
	}
	r->fd = fd;
	gzbuffer(r->gz, 128 * 1024);
	return 0;
}

/*
 * At the end of a followed file: has @path been replaced (rotated) or
 * truncated?  Then read the new one from its start, as tail -F does.
 */
static int reader_reopen(struct reader *r)
{
	struct stat now, cur;
	int fd;

	if (!r->path || stat(r->path, &now) < 0 || fstat(r->fd, &cur) < 0)
		return 0;
	if (now.st_dev == cur.st_dev && now.st_ino == cur.st_ino && now.st_size >= gzoffset(r->gz))
		return 0;
	fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;	/* not there yet: try again later */
	gzclose(r->gz);
	r->gz = NULL;
	return reader_open(r, fd, 0) < 0 ? 0 : 1;
}

/* Feed the lines in [pos, lim) (whole lines) to @s, skipping where it allows. */
static int feed_block(const struct ol_logsink *s, char *pos, char *lim, int *skipping)
{
	while (pos < lim) {
		char *nl;
		size_t len;
		int rc;

		if (s->busy && !s->busy(s->data)) {
			unsigned long skipped;
			const char *a = ol_log_anchor(pos, lim, &skipped);

			if (s->skipped)
				s->skipped(skipped, s->data);
			if (!a)
				return 0;
			pos = (char *)a;
		}
		nl = memchr(pos, '\n', (size_t)(lim - pos));
		len = (size_t)((nl ? nl : lim) - pos);
		if (*skipping) {
			*skipping = 0;	/* the tail of a line longer than the buffer */
		} else if ((rc = s->line(pos, len, s->data)) != 0) {
			return rc;
		}
		pos = nl ? nl + 1 : lim;
	}
	return 0;
}

/*
 * Read in large blocks and feed line by line.  While the sink is not busy,
 * lines before the next anchor are skipped whole: most of a large log never
 * reaches the parser.  Memory stays at the block size.
 */
static int feed(const struct ol_logsink *s, struct reader *r, const struct ol_logsrc_opts *o)
{
	size_t cap = BLOCK + OL_LOG_MAX_LINE + 1, have = 0;
	char *buf = malloc(cap);
	int rc = 0, eof = 0, skipping = 0, follow = o && o->follow, sniffed = 0;
	struct jconv *jc = NULL;

	if (!buf)
		return -ENOMEM;
	while (!stopped(o)) {
		char *lim;

		if (!eof) {
			int n = gzread(r->gz, buf + have, (unsigned)(cap - have - 1)), err;

			if (n < 0) {
				rc = -EIO;
				break;
			}
			if (n == 0) {
				gzerror(r->gz, &err);
				/* Z_BUF_ERROR: the compressed stream ends early (a
				 * truncated file; only a growing one may be followed) */
				if (err != Z_OK && (err != Z_BUF_ERROR || !follow)) {
					rc = err == Z_ERRNO ? -EIO : -EBADMSG;
					break;
				}
				eof = 1;
			}
			have += (size_t)n;
		}
		if (!sniffed && (have || eof)) {
			/* journalctl -o json or -o export: entries, not lines */
			sniffed = 1;
			s = jconv_sniff(&jc, s, buf, have);
			if (!s) {
				rc = -ENOMEM;
				break;
			}
		}
		/* whole lines only, unless this is the end */
		lim = memrchr(buf, '\n', have);
		lim = lim ? lim + 1 : NULL;
		if (!lim) {
			if (have >= cap - 1 || (eof && have && !follow))
				lim = buf + have;	/* an endless line, or the last one: cut it */
			else if (!eof)
				continue;
		}
		if (lim) {
			rc = feed_block(s, buf, lim, &skipping);
			if (rc)
				break;
			if (lim == buf + have && have && buf[have - 1] != '\n')
				skipping = !eof;	/* cut mid-line: drop the rest of it */
			memmove(buf, lim, have - (size_t)(lim - buf));
			have -= (size_t)(lim - buf);
		}
		if (eof) {
			if (!follow)
				break;
			if (reader_reopen(r)) {
				/* the old file's last line, though it lacks its newline */
				if (have && !skipping && (rc = s->line(buf, have, s->data)) != 0)
					break;
				have = 0;
				skipping = 0;
			} else {
				idle(s);
				gzclearerr(r->gz);
				usleep(250000);
			}
			eof = 0;
		}
	}
	if (jc && rc == 0)
		rc = jconv_end(jc);
	else if (jc)
		jconv_end(jc);
	free(buf);
	return rc < 0 ? rc : 0;
}

int ol_logsrc_fd(const struct ol_logsink *s, int fd, int any_dev, const struct ol_logsrc_opts *o)
{
	struct reader r = { 0 };
	int rc = reader_open(&r, fd, any_dev);

	if (rc < 0)
		return rc;
	rc = feed(s, &r, o);
	gzclose(r.gz);
	return rc;
}

int ol_logsrc_path(const struct ol_logsink *s, const char *path, const struct ol_logsrc_opts *o)
{
	struct reader r = { 0 };
	int stdin_ = strcmp(path, "-") == 0, rc;
	int fd = stdin_ ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	rc = reader_open(&r, fd, stdin_);
	if (rc < 0)
		return rc;
	r.path = stdin_ ? NULL : path;
	rc = feed(s, &r, o);
	if (r.gz)
		gzclose(r.gz);
	return rc;
}

int ol_logsrc_sysroot_open(const struct ol_root *root, const char **name, time_t *mtime)
{
	static const char *const logs[] = { "var/log/kern.log", "var/log/messages", "var/log/syslog" };
	struct stat st;

	for (size_t i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
		int fd = ol_root_openat(root, root->basefd, logs[i], OL_OPEN_FILE, &st);

		if (fd >= 0) {
			*name = logs[i];
			if (mtime)
				*mtime = st.st_mtime;
			return fd;
		}
	}
	return -ENOENT;
}

/* ---- the systemd journal ---- */

struct boot {
	char id[33];
	uint64_t first;
};

static int boot_cmp(const void *a, const void *b)
{
	const struct boot *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* The boots in @j, oldest first, by their first entry.  How many, or -errno. */
static int journal_boots(sd_journal *j, struct boot **out)
{
	struct boot *v = NULL;
	const void *d;
	size_t l, n = 0;
	int rc = sd_journal_query_unique(j, "_BOOT_ID");

	if (rc < 0)
		return rc;
	SD_JOURNAL_FOREACH_UNIQUE(j, d, l) {
		struct boot *nv;

		if (l != 9 + 32)
			continue;
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv) {
			free(v);
			return -ENOMEM;
		}
		v = nv;
		memcpy(v[n].id, (const char *)d + 9, 32);
		v[n].id[32] = '\0';
		v[n].first = 0;
		n++;
	}
	for (size_t i = 0; i < n; i++) {
		char match[64];

		snprintf(match, sizeof(match), "_BOOT_ID=%s", v[i].id);
		sd_journal_flush_matches(j);
		sd_journal_add_match(j, match, 0);
		if (sd_journal_seek_head(j) >= 0 && sd_journal_next(j) > 0)
			sd_journal_get_realtime_usec(j, &v[i].first);
	}
	sd_journal_flush_matches(j);
	qsort(v, n, sizeof(*v), boot_cmp);
	*out = v;
	return (int)n;
}

static int is_boot_id(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 32;
}

/*
 * The boot @spec names, as journalctl -b reads it: "" or "0" the last boot
 * (the running one, on the live journal), "-N" N boots before it, "N" the
 * N-th from the first, or a boot ID.  0 or -ENXIO.
 */
static int journal_boot(sd_journal *j, const char *spec, int live, char id[33])
{
	struct boot *v = NULL;
	char *end;
	long k;
	int n, rc = -ENXIO;

	if (is_boot_id(spec)) {
		memcpy(id, spec, 33);
		return 0;
	}
	errno = 0;
	k = *spec ? strtol(spec, &end, 10) : 0;
	if (*spec && (errno || *end))
		return -EINVAL;
	if (k == 0 && live) {
		sd_id128_t cur;

		if (sd_id128_get_boot(&cur) < 0)
			return -ENXIO;
		sd_id128_to_string(cur, id);
		return 0;
	}
	n = journal_boots(j, &v);
	if (n < 0)
		return n;
	if (k <= 0 && -k < n) {
		memcpy(id, v[n - 1 + k].id, 33);
		rc = 0;
	} else if (k > 0 && k <= n) {
		memcpy(id, v[k - 1].id, 33);
		rc = 0;
	}
	free(v);
	return rc;
}

static void journal_matches(sd_journal *j, const char *boot_id)
{
	static const char *const killers[] = { "earlyoom", "systemd-oomd", "oomd", "nohang" };
	char match[64];

	snprintf(match, sizeof(match), "_BOOT_ID=%s", boot_id ? boot_id : "");
	if (boot_id)
		sd_journal_add_match(j, match, 0);
	sd_journal_add_match(j, "_TRANSPORT=kernel", 0);
	/* userspace OOM killers log through syslog or the journal */
	sd_journal_add_disjunction(j);
	if (boot_id)
		sd_journal_add_match(j, match, 0);
	for (size_t i = 0; i < sizeof(killers) / sizeof(killers[0]); i++) {
		snprintf(match, sizeof(match), "SYSLOG_IDENTIFIER=%s", killers[i]);
		sd_journal_add_match(j, match, 0);
	}
}

/* A field's value ("NAME=value"), or 0. */
static size_t journal_field(sd_journal *j, const char *name, const char **val)
{
	const void *d;
	size_t l, nl = strlen(name);

	if (sd_journal_get_data(j, name, &d, &l) < 0 || l <= nl + 1)
		return 0;
	*val = (const char *)d + nl + 1;
	return l - nl - 1;
}

/*
 * One entry as lines "ISO-TIME HOST TAG: [SECONDS] MESSAGE", as journalctl
 * -o short-iso-precise prints it, with the kernel's boot-relative stamp
 * (@mono, -1 unknown) in front of a kernel message, as syslog writes it.
 */
static int emit_entry(const struct ol_logsink *s, char *line, size_t sz, uint64_t usec, long long mono,
		      const char *host, const char *tag, const char *msg, size_t ml)
{
	int rc = 0;

	for (const char *p = msg, *e; rc == 0 && p < msg + ml; p = e + 1) {
		size_t l;

		e = memchr(p, '\n', (size_t)(msg + ml - p));
		if (!e)
			e = msg + ml;
		l = ol_journal_line(line, sz, usec, mono, host, tag, p, (size_t)(e - p));
		rc = s->line(line, l, s->data);
	}
	return rc;
}

static int journal_entry(const struct ol_logsink *s, sd_journal *j, char *line, size_t sz)
{
	const char *msg, *v;
	char host[128] = "localhost", tag[64] = "kernel";
	size_t ml, l;
	uint64_t usec = 0;
	long long mono = -1;

	ml = journal_field(j, "MESSAGE", &msg);
	if (!ml)
		return 0;
	sd_journal_get_realtime_usec(j, &usec);
	if ((l = journal_field(j, "_HOSTNAME", &v)))
		snprintf(host, sizeof(host), "%.*s", (int)l, v);
	if ((l = journal_field(j, "_TRANSPORT", &v)) == 6 && memcmp(v, "kernel", 6) == 0) {
		sd_id128_t boot;
		uint64_t m;

		if ((l = journal_field(j, "_SOURCE_MONOTONIC_TIMESTAMP", &v)) && l < 20)
			mono = strtoll(v, NULL, 10);
		else if (sd_journal_get_monotonic_usec(j, &m, &boot) >= 0)
			mono = (long long)m;
	} else if ((l = journal_field(j, "SYSLOG_IDENTIFIER", &v))) {
		snprintf(tag, sizeof(tag), "%.*s", (int)l, v);
	}
	return emit_entry(s, line, sz, usec, mono, host, tag, msg, ml);
}

size_t ol_journal_line(char *buf, size_t sz, uint64_t usec, long long mono, const char *host,
		       const char *tag, const char *msg, size_t len)
{
	time_t t = (time_t)(usec / 1000000);
	char stamp[40] = "";
	struct tm tm;
	int n;

	if (mono >= 0)
		snprintf(stamp, sizeof(stamp), "[%5lld.%06lld] ", mono / 1000000, mono % 1000000);
	gmtime_r(&t, &tm);
	n = snprintf(buf, sz, "%04d-%02d-%02dT%02d:%02d:%02d.%06lluZ %s %s: %s%.*s",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		     (unsigned long long)(usec % 1000000), host, tag, stamp, (int)len, msg);
	if (n < 0 || sz == 0)
		return 0;
	return (size_t)n < sz ? (size_t)n : sz - 1;
}

static int journal_read(const struct ol_logsink *s, sd_journal *j, const struct ol_logsrc_opts *o)
{
	size_t sz = OL_LOG_MAX_LINE + 256;
	char *line = malloc(sz);
	int rc = 0;

	if (!line)
		return -ENOMEM;
	while (!stopped(o)) {
		int r = sd_journal_next(j);

		if (r < 0) {
			rc = r;
			break;
		}
		if (r == 0) {
			if (!o || !o->follow)
				break;
			idle(s);
			sd_journal_wait(j, 1000000);
			continue;
		}
		rc = journal_entry(s, j, line, sz);
		if (rc)
			break;
	}
	free(line);
	return rc < 0 ? rc : 0;
}

#define MAX_JOURNAL_FILES	512

/* The *.journal files in @dir (inside the tree), their descriptors added to @fds. */
static void journal_dir_files(const struct ol_root *root, int dirfd, int *fds, size_t *n, int depth)
{
	DIR *d;
	struct dirent *e;
	int dup_fd = dup(dirfd);

	if (dup_fd < 0 || !(d = fdopendir(dup_fd))) {
		if (dup_fd >= 0)
			close(dup_fd);
		return;
	}
	while ((e = readdir(d)) && *n < MAX_JOURNAL_FILES) {
		size_t l = strlen(e->d_name);
		int fd;

		if (e->d_name[0] == '.')
			continue;
		if (l > 8 && (strcmp(e->d_name + l - 8, ".journal") == 0 ||
			      (l > 9 && strcmp(e->d_name + l - 9, ".journal~") == 0))) {
			fd = ol_root_openat(root, dirfd, e->d_name, OL_OPEN_FILE | OL_OPEN_QUIET, NULL);
			if (fd >= 0)
				fds[(*n)++] = fd;
		} else if (depth == 0 && (is_boot_id(e->d_name) || strcmp(e->d_name, "remote") == 0)) {
			/* machine-ID directories, and systemd-journal-remote's */
			fd = ol_root_openat(root, dirfd, e->d_name, OL_OPEN_DIR | OL_OPEN_QUIET, NULL);
			if (fd >= 0) {
				journal_dir_files(root, fd, fds, n, 1);
				close(fd);
			}
		}
	}
	closedir(d);
}

/* A copied tree's journal: var/log/journal and run/log/journal, with remote/. */
static int journal_open_tree(sd_journal **j, const struct ol_root *root)
{
	static const char *const dirs[] = { "var/log/journal", "run/log/journal" };
	int fds[MAX_JOURNAL_FILES];
	size_t n = 0;
	int rc;

	for (size_t i = 0; i < 2; i++) {
		int dfd = ol_root_openat(root, root->basefd, dirs[i], OL_OPEN_DIR | OL_OPEN_QUIET, NULL);

		if (dfd >= 0) {
			journal_dir_files(root, dfd, fds, &n, 0);
			close(dfd);
		}
	}
	if (!n)
		return -ENOMEDIUM;
	rc = sd_journal_open_files_fd(j, fds, (unsigned)n, 0);
	/* once opened, sd_journal_close() closes them (systemd 252) */
	for (size_t i = 0; rc < 0 && i < n; i++)
		close(fds[i]);
	return rc;
}

static int journal_open(sd_journal **j, const struct ol_journal_opts *jo, int *live)
{
	*live = 0;
	if (jo->files)
		return sd_journal_open_files(j, (const char **)jo->files, 0);
	if (jo->directory)
		return sd_journal_open_directory(j, jo->directory, 0);
	if (jo->root && jo->root->path)
		return journal_open_tree(j, jo->root);
	*live = 1;
	return sd_journal_open(j, SD_JOURNAL_LOCAL_ONLY);
}

int ol_logsrc_journal(const struct ol_logsink *s, const struct ol_journal_opts *jo,
		      const struct ol_logsrc_opts *o)
{
	sd_journal *j;
	uint64_t bytes = 0;
	char id[33];
	int rc, live;

	rc = journal_open(&j, jo, &live);
	if (rc < 0)
		return rc;
	/* sd_journal_open() succeeds with no journal files at all */
	if (sd_journal_get_usage(j, &bytes) < 0 || bytes == 0) {
		rc = -ENOMEDIUM;
		goto out;
	}
	if (jo->boot) {
		rc = journal_boot(j, jo->boot, live, id);
		if (rc < 0)
			goto out;
	}
	journal_matches(j, jo->boot ? id : NULL);
	/* from the start: finding the boot moved the read position past entries */
	rc = sd_journal_seek_head(j);
	if (rc >= 0)
		rc = journal_read(s, j, o);
out:
	sd_journal_close(j);
	return rc;
}

/* ---- journalctl -o json and -o export, read as text ---- */

struct jconv {
	struct ol_logsink sink;		/* what the reader feeds: this converter */
	const struct ol_logsink *out;
	int json;
	/* the entry being read (export) */
	uint64_t usec;
	long long mono, src_mono;
	int kernel;
	char host[128], tag[64];
	char *msg;
	size_t msglen;
	/* a binary field (export): NAME\n, then a 64-bit little-endian size and the data */
	char bname[64];
	int in_binary;
	uint64_t bsize;
	char *bdata;
	size_t bhave;
	char line[OL_LOG_MAX_LINE + 256];
};

static void entry_reset(struct jconv *jc)
{
	jc->usec = 0;
	jc->mono = jc->src_mono = -1;
	jc->kernel = 0;
	snprintf(jc->host, sizeof(jc->host), "localhost");
	snprintf(jc->tag, sizeof(jc->tag), "kernel");
	free(jc->msg);
	jc->msg = NULL;
	jc->msglen = 0;
}

static int entry_emit(struct jconv *jc)
{
	int rc = 0;

	if (jc->msg)
		rc = emit_entry(jc->out, jc->line, sizeof(jc->line), jc->usec,
				!jc->kernel ? -1 : jc->src_mono >= 0 ? jc->src_mono : jc->mono,
				jc->host, jc->kernel ? "kernel" : jc->tag, jc->msg, jc->msglen);
	entry_reset(jc);
	return rc;
}

static int is_name(const char *n, size_t nl, const char *want)
{
	return strlen(want) == nl && memcmp(n, want, nl) == 0;
}

static void entry_field(struct jconv *jc, const char *n, size_t nl, const char *v, size_t vl)
{
	char num[24];

	if (is_name(n, nl, "MESSAGE")) {
		free(jc->msg);
		jc->msg = malloc(vl + 1);
		if (jc->msg) {
			memcpy(jc->msg, v, vl);
			jc->msglen = vl;
		}
		return;
	}
	if (is_name(n, nl, "_HOSTNAME")) {
		snprintf(jc->host, sizeof(jc->host), "%.*s", (int)vl, v);
	} else if (is_name(n, nl, "SYSLOG_IDENTIFIER")) {
		snprintf(jc->tag, sizeof(jc->tag), "%.*s", (int)vl, v);
	} else if (is_name(n, nl, "_TRANSPORT")) {
		jc->kernel = vl == 6 && memcmp(v, "kernel", 6) == 0;
	} else if (vl < sizeof(num) && (is_name(n, nl, "__REALTIME_TIMESTAMP") ||
					 is_name(n, nl, "__MONOTONIC_TIMESTAMP") ||
					 is_name(n, nl, "_SOURCE_MONOTONIC_TIMESTAMP"))) {
		memcpy(num, v, vl);
		num[vl] = '\0';
		if (n[2] == 'R')
			jc->usec = strtoull(num, NULL, 10);
		else if (n[2] == 'M')
			jc->mono = strtoll(num, NULL, 10);
		else
			jc->src_mono = strtoll(num, NULL, 10);
	}
}

/* The data of a binary field, line by line: the newlines between the lines are its own. */
static void export_binary(struct jconv *jc, const char *s, size_t len)
{
	if (!jc->bdata) {
		if (len < 8) {
			jc->in_binary = 0;
			return;
		}
		memcpy(&jc->bsize, s, 8);	/* little-endian, as on the hosts we build for */
		if (jc->bsize > OL_LOG_MAX_LINE * 16ULL || !(jc->bdata = malloc(jc->bsize + 1))) {
			jc->in_binary = 0;
			return;
		}
		s += 8;
		len -= 8;
	} else if (jc->bhave < jc->bsize) {
		jc->bdata[jc->bhave++] = '\n';
	}
	if (len > jc->bsize - jc->bhave)
		len = (size_t)(jc->bsize - jc->bhave);
	memcpy(jc->bdata + jc->bhave, s, len);
	jc->bhave += len;
	if (jc->bhave >= jc->bsize) {
		entry_field(jc, jc->bname, strlen(jc->bname), jc->bdata, jc->bhave);
		free(jc->bdata);
		jc->bdata = NULL;
		jc->bhave = 0;
		jc->in_binary = 0;
	}
}

static int export_line(const char *s, size_t len, void *data)
{
	struct jconv *jc = data;
	const char *eq;

	if (jc->in_binary) {
		export_binary(jc, s, len);
		return 0;
	}
	if (!len)
		return entry_emit(jc);
	eq = memchr(s, '=', len);
	if (!eq) {
		snprintf(jc->bname, sizeof(jc->bname), "%.*s", (int)len, s);
		jc->in_binary = 1;
		return 0;
	}
	entry_field(jc, s, (size_t)(eq - s), eq + 1, (size_t)(s + len - eq - 1));
	return 0;
}

/* A JSON field's value: a string, a number, or an array of bytes (binary data). */
static void json_field(struct jconv *jc, const char *name, json_object *v)
{
	if (json_object_is_type(v, json_type_string)) {
		entry_field(jc, name, strlen(name), json_object_get_string(v),
			    (size_t)json_object_get_string_len(v));
	} else if (json_object_is_type(v, json_type_array)) {
		size_t n = json_object_array_length(v);
		char *b = malloc(n + 1);

		if (!b)
			return;
		for (size_t i = 0; i < n; i++)
			b[i] = (char)json_object_get_int(json_object_array_get_idx(v, i));
		entry_field(jc, name, strlen(name), b, n);
		free(b);
	}
}

static int json_line(const char *s, size_t len, void *data)
{
	struct jconv *jc = data;
	json_tokener *tok = json_tokener_new();
	struct json_object_iterator it, end;
	json_object *o;

	if (!tok)
		return -ENOMEM;
	o = json_tokener_parse_ex(tok, s, (int)len);
	json_tokener_free(tok);
	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return 0;	/* not an entry: skipped */
	}
	for (it = json_object_iter_begin(o), end = json_object_iter_end(o);
	     !json_object_iter_equal(&it, &end); json_object_iter_next(&it))
		json_field(jc, json_object_iter_peek_name(&it), json_object_iter_peek_value(&it));
	json_object_put(o);
	return entry_emit(jc);
}

static void jconv_idle(void *data)
{
	struct jconv *jc = data;

	if (jc->out->idle)
		jc->out->idle(jc->out->data);
}

/* Is @buf journalctl's -o json or -o export?  Then a sink that converts its entries. */
static const struct ol_logsink *jconv_sniff(struct jconv **out, const struct ol_logsink *s,
					     const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);
	size_t l1 = nl ? (size_t)(nl - buf) : len;
	int json = l1 > 1 && buf[0] == '{' && memmem(buf, l1, "\"__REALTIME_TIMESTAMP\"", 22);
	int export = (l1 > 9 && memcmp(buf, "__CURSOR=", 9) == 0) ||
		     (l1 > 21 && memcmp(buf, "__REALTIME_TIMESTAMP=", 21) == 0);
	struct jconv *jc;

	if (!json && !export)
		return s;
	jc = calloc(1, sizeof(*jc));
	if (!jc)
		return NULL;
	jc->out = s;
	jc->json = json;
	entry_reset(jc);
	jc->sink.line = json ? json_line : export_line;
	jc->sink.idle = jconv_idle;
	jc->sink.data = jc;
	*out = jc;
	return &jc->sink;
}

/* The last entry (an export stream may end without its blank line); frees @jc. */
static int jconv_end(struct jconv *jc)
{
	int rc = jc->json ? 0 : entry_emit(jc);

	entry_reset(jc);
	free(jc->bdata);
	free(jc);
	return rc;
}
