'use strict';
/*
 * oomlens log --format html: draws the report from the JSON in #data (what
 * `oomlens log -J` prints).  Every name is set as text (textContent, text
 * nodes): never as markup.  Names are shown as text output shows them, by
 * comm_text (escaped) when the JSON has it.
 */
(async function () {
	const SVG = 'http://www.w3.org/2000/svg';
	let events;
	try {
		events = (await load()).events || [];
	} catch (e) {
		document.getElementById('overview').textContent = 'This browser could not read the events embedded in the report (' +
			e + '); it needs the Compression Streams API (Chrome 80, Firefox 113, Safari 16.4 or later). ' +
			'oomlens log -J prints the same data.';
		return;
	}

	/*
	 * The document of -J, gzip-compressed and in base64 in #data: the
	 * browser's own gzip (DecompressionStream) inflates it.
	 */
	async function load() {
		const b64 = atob(document.getElementById('data').textContent), bin = new Uint8Array(b64.length);
		for (let i = 0; i < b64.length; i++)
			bin[i] = b64.charCodeAt(i);
		const text = new Blob([bin]).stream().pipeThrough(new DecompressionStream('gzip'));
		return JSON.parse(await new Response(text).text());
	}

	/* ---- DOM helpers: attributes and text only ---- */
	function put(e, kids) {
		for (const k of kids) {
			if (k === null || k === undefined || k === false)
				continue;
			e.appendChild(typeof k === 'object' ? k : document.createTextNode(String(k)));
		}
		return e;
	}
	function attrs(e, a) {
		for (const k in a || {})
			if (a[k] !== null && a[k] !== undefined)
				e.setAttribute(k, String(a[k]));
		return e;
	}
	function h(tag, a, ...kids) { return put(attrs(document.createElement(tag), a), kids); }
	function s(tag, a, ...kids) { return put(attrs(document.createElementNS(SVG, tag), a), kids); }
	function name(o) { return o ? (o.comm_text !== null && o.comm_text !== undefined ? o.comm_text : o.comm) : null; }

	/* 1024 units, one decimal, as oomlens's text output writes sizes */
	function human(b) {
		const units = 'BKMGTPE';
		let d = 1, e = 0;
		while (e < 6 && b / d >= 1024) { d *= 1024; e++; }
		if (!e)
			return b + 'B';
		let w = Math.floor(b / d), t = Math.round((b % d) * 10 / d);
		if (t === 10) { w++; t = 0; }
		if (w === 1024 && e < 6) { w = 1; e++; }
		return w + (t ? '.' + t : '') + units[e];
	}
	function kind(ev) { return ev.killer !== 'kernel' ? 'userspace' : ev.kind; }
	function pageSize(ev) { return ev.memory && ev.memory.page_size ? ev.memory.page_size : 4096; }
	function n0(v) { return typeof v === 'number' ? v : 0; }

	/*
	 * A horizontal bar of segments [{cls, label, bytes|value}], scaled to
	 * @total (or their sum).  Each segment carries data-bytes (or data-value).
	 */
	function bar(segs, total, unit) {
		const sum = segs.reduce((a, g) => a + Math.max(0, g.v), 0);
		const W = 1000, H = 22, scale = Math.max(total || 0, sum) || 1;
		const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', class: 'bar' });
		let x = 0;
		for (const g of segs) {
			if (g.v <= 0)
				continue;
			const w = g.v * W / scale;
			const a = { class: 'seg s-' + g.cls, x: x.toFixed(2), y: 0, width: w.toFixed(2), height: H, 'data-segment': g.cls };
			a[unit === 'pages' ? 'data-pages' : 'data-bytes'] = g.v;
			svg.appendChild(s('rect', a, s('title', null, `${g.label}: ${unit === 'pages' ? g.v + ' pages' : human(g.v)}`)));
			x += w;
		}
		return svg;
	}
	function legend(segs, unit) {
		return h('ul', { class: 'legend' }, ...segs.filter(g => g.v > 0).map(g =>
			h('li', { class: 'l-' + g.cls }, `${g.label} ${unit === 'pages' ? g.v : human(g.v)}`)));
	}

	/* ---- the overview and the timeline ---- */
	function overview() {
		const kills = events.reduce((a, ev) => a + (ev.killer === 'kernel' && ev.outcome === 'killed' ? ev.victims.length : 0), 0);
		const sources = [...new Set(events.map(ev => ev.source).filter(x => x))];
		const p = document.getElementById('overview');
		p.textContent = `${events.length} OOM event${events.length === 1 ? '' : 's'}, ${kills} kill${kills === 1 ? '' : 's'} by the kernel`;
		if (sources.length)
			put(p, ['; from ', sources.join(', ')]);
		p.setAttribute('data-events', events.length);
	}

	function timeline() {
		const box = document.getElementById('timeline');
		if (!events.length) {
			box.appendChild(h('p', null, 'No OOM events.'));
			return;
		}
		/* a stamp without a year or zone: where oomlens placed it (time_inferred) */
		const when = (ev) => typeof ev.time_epoch === 'number' ? ev.time_epoch : ev.time_inferred_epoch;
		const dated = events.every(ev => typeof when(ev) === 'number');
		const inferred = events.some(ev => typeof ev.time_epoch !== 'number');
		const hosts = [...new Set(events.map(ev => ev.host || ''))];
		const W = 1000, L = hosts.length > 1 ? 230 : 10, R = 10, lane = 26, top = 8;
		const H = top + lane * hosts.length + 24;
		const xs = events.map((ev, i) => dated ? when(ev) : i);
		const lo = Math.min(...xs), hi = Math.max(...xs), span = hi - lo || 1;
		const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', id: 'timeline-svg',
			'aria-label': 'OOM events over time' });
		hosts.forEach((host, j) => {
			const y = top + lane * j + lane / 2;
			svg.appendChild(s('line', { class: 'lane', x1: L, x2: W - R, y1: y, y2: y }));
			if (hosts.length > 1)
				svg.appendChild(s('text', { x: 4, y: y + 4, class: 'host' }, (host || '(no host)').slice(0, 36)));
		});
		events.forEach((ev, i) => {
			const x = L + (xs[i] - lo) * (W - L - R) / span;
			const y = top + lane * hosts.indexOf(ev.host || '') + lane / 2;
			const k = kind(ev);
			const a = s('a', { href: '#ev-' + (i + 1) });
			a.appendChild(s('rect', { class: 'mark k-' + k, x: (x - 4).toFixed(1), y: y - 9, width: 8, height: 18,
				'data-event': i + 1, 'data-kind': k, 'data-host': ev.host || '' },
				s('title', null, `#${i + 1} ${(ev.sentences || [])[0] || k}`)));
			svg.appendChild(a);
		});
		const label = (v) => dated ? new Date(v * 1000).toISOString().replace('.000Z', 'Z') : '#' + (v + 1);
		svg.appendChild(s('text', { x: L, y: H - 6 }, label(lo)));
		svg.appendChild(s('text', { x: W - R, y: H - 6, 'text-anchor': 'end' }, label(hi)));
		box.appendChild(h('h2', { 'data-axis': dated ? (inferred ? 'inferred' : 'time') : 'order' },
			!dated ? 'Events in log order (not every event has a date)' :
			inferred ? 'Events over time (UTC; the log\'s stamps lack a year or a zone, inferred as the text output does)' : 'Events over time (UTC)'));
		box.appendChild(svg);
		const kinds = [...new Set(events.map(kind))];
		box.appendChild(h('ul', { class: 'legend' }, ...kinds.map(k => h('li', { class: k === 'userspace' ? 'k-userspace' : 'k-' + k }, k))));
	}

	/* ---- one event ---- */
	function memory(ev) {
		const out = [];
		if (ev.memcg) {
			const m = ev.memcg, segs = [{ cls: 'used', label: 'usage', v: n0(m.usage_bytes) }];
			if (m.limit_bytes !== null)
				segs.push({ cls: 'limit', label: 'below the limit', v: Math.max(0, m.limit_bytes - n0(m.usage_bytes)) });
			out.push(h('h3', null, 'Memory cgroup'),
				h('p', null, `usage ${human(n0(m.usage_bytes))} of ` + (m.limit_bytes === null ? 'no limit' : `a limit of ${human(m.limit_bytes)}`)),
				attrs(bar(segs, m.limit_bytes, 'bytes'), { 'data-chart': 'memcg' }), legend(segs, 'bytes'));
		}
		const mi = ev.mem_info, mem = ev.memory || {};
		if (mi && typeof mem.ram_pages === 'number') {
			const ps = pageSize(ev), pg = (k) => n0(mi[k]);
			/* shmem pages are swap-backed: on the anon LRU, so taken out of it */
			const anonLru = pg('active_anon') + pg('inactive_anon') + pg('isolated_anon');
			const segs = [
				{ cls: 'anon', label: 'anon', v: Math.max(0, anonLru - pg('shmem')) },
				{ cls: 'file', label: 'file', v: pg('active_file') + pg('inactive_file') + pg('isolated_file') },
				{ cls: 'shmem', label: 'shmem', v: Math.min(pg('shmem'), anonLru || pg('shmem')) },
				{ cls: 'slab', label: 'slab', v: pg('slab_reclaimable') + pg('slab_unreclaimable') },
				{ cls: 'pagetables', label: 'page tables', v: pg('pagetables') },
				{ cls: 'free', label: 'free', v: pg('free') },
			];
			const known = segs.reduce((a, g) => a + g.v, 0);
			segs.push({ cls: 'other', label: 'other', v: Math.max(0, mem.ram_pages - known) });
			for (const g of segs)
				g.v *= ps;
			out.push(h('h3', null, 'RAM'), attrs(bar(segs, mem.ram_pages * ps, 'bytes'), { 'data-chart': 'ram', 'data-total-bytes': mem.ram_pages * ps }),
				legend(segs, 'bytes'));
		}
		if (typeof mem.total_swap_bytes === 'number' && mem.total_swap_bytes > 0) {
			const free = n0(mem.free_swap_bytes);
			const segs = [{ cls: 'used', label: 'swap used', v: mem.total_swap_bytes - free }, { cls: 'free', label: 'swap free', v: free }];
			out.push(h('h3', null, 'Swap'), attrs(bar(segs, mem.total_swap_bytes, 'bytes'), { 'data-chart': 'swap' }), legend(segs, 'bytes'));
		}
		return out;
	}

	function verdict(ev) {
		const pr = ev.prediction;
		if (!pr)
			return null;	/* the sentences say why */
		if (pr.agrees)
			return h('p', { class: 'verdict explained', 'data-verdict': 'explained' }, 'the kernel\'s choice is explained by its formula');
		return h('p', { class: 'verdict unexplained', 'data-verdict': 'unexplained' }, 'not explained: ', pr.cause || 'unexplained');
	}

	function candidates(ev) {
		const pr = ev.prediction;
		if (!pr || !pr.ranking || !pr.ranking.length || !ev.tasks)
			return [];
		const vpid = ev.victim ? ev.victim.pid : null, tpid = ev.trigger ? ev.trigger.pid : null;
		const rows = pr.ranking.map(r => Object.assign({ t: ev.tasks[r.task] }, r));
		const max = Math.max(...rows.map(r => r.rss_pages + r.swap_pages + r.pgtables_pages + Math.max(0, r.adj_pages))) || 1;
		const list = h('ol', { class: 'candidates', 'data-predicted-pid': pr.pid });
		for (const r of rows) {
			const segs = [
				{ cls: 'rss', label: 'rss', v: r.rss_pages }, { cls: 'swap', label: 'swap', v: r.swap_pages },
				{ cls: 'pgtables', label: 'page tables', v: r.pgtables_pages }, { cls: 'adj', label: 'oom_score_adj', v: r.adj_pages },
			];
			const marks = [];
			if (r.t.pid === vpid) marks.push('killed');
			if (r.t.pid === tpid) marks.push('asked for memory');
			const li = h('li', { value: r.rank, 'data-pid': r.t.pid, 'data-rank': r.rank, class: marks.length ? 'marked' : null },
				h('span', { class: 'name' }, name(r.t)), `[${r.t.pid}] badness ${r.t.badness}`,
				r.adj_pages < 0 ? ` (adj ${r.adj_pages} pages)` : '', marks.length ? ' \u2190 ' + marks.join(', ') : '');
			li.appendChild(attrs(bar(segs, max, 'pages'), { 'data-chart': 'badness' }));
			list.appendChild(li);
		}
		return [h('h3', null, `Candidates: badness in pages of ${pr.total_pages}${pr.total_pages_estimated ? ', estimated' : ''}`),
			h('ul', { class: 'legend' }, ...[['rss', 'rss'], ['swap', 'swap'], ['pgtables', 'page tables'], ['adj', 'oom_score_adj \u00d7 totalpages / 1000']]
				.map(([c, l]) => h('li', { class: 'l-' + c }, l))), list];
	}

	const COLS = [
		['pid', 'PID', 'pid'], ['uid', 'UID', 'uid'], ['tgid', 'TGID', 'tgid'], ['total_vm', 'TOTAL_VM', 'total_vm_pages'],
		['rss', 'RSS', 'rss_pages'], ['swap', 'SWAP', 'swap_pages'], ['adj', 'ADJ', 'oom_score_adj'],
		['badness', 'BADNESS', 'badness'], ['name', 'NAME', null],
	];
	function cell(t, c) { return c[2] ? t[c[2]] : name(t); }

	function sortTable(table, col, desc) {
		const c = COLS.find(x => x[0] === col);
		if (!c)
			return;
		const body = table.tBodies[0], rows = [...body.rows];
		rows.sort((a, b) => {
			const x = cell(a.oomTask, c), y = cell(b.oomTask, c);
			if (x === null || y === null)
				return (x === null) - (y === null);
			/* names by code point, as sort(1) in the C locale: the same on every browser */
			const d = typeof x === 'number' ? x - y : (x < y ? -1 : x > y ? 1 : 0);
			return desc ? -d : d;
		});
		for (const r of rows)
			body.appendChild(r);
		for (const th of table.tHead.rows[0].cells)
			th.setAttribute('aria-sort', th.dataset.col === col ? (desc ? 'descending' : 'ascending') : 'none');
		table.dataset.sort = col;
	}

	function table(ev) {
		const vpid = ev.victim ? ev.victim.pid : null, tpid = ev.trigger ? ev.trigger.pid : null;
		const head = h('tr', null, ...COLS.map(c => h('th', { 'data-col': c[0], 'aria-sort': 'none', scope: 'col' },
			h('button', { type: 'button', title: 'sort by ' + c[1] }, c[1]))));
		const body = h('tbody');
		for (const t of ev.tasks) {
			const tr = h('tr', { 'data-pid': t.pid, class: t.pid === vpid ? 'victim' : t.pid === tpid ? 'trigger' : null },
				...COLS.map(c => h('td', c[2] ? null : { class: 'name' }, cell(t, c) === null ? '-' : cell(t, c))));
			tr.oomTask = t;
			body.appendChild(tr);
		}
		const table = h('table', { class: 'tasks' }, h('thead', null, head), body);
		head.addEventListener('click', (e) => {
			const th = e.target.closest('th');
			if (!th)
				return;
			const col = th.dataset.col, again = table.dataset.sort === col;
			const desc = again ? th.getAttribute('aria-sort') !== 'descending' : col !== 'name';
			sortTable(table, col, desc);
		});
		return h('div', { class: 'tablewrap' }, table);
	}

	/*
	 * A folded part of an event: its contents are made by @make when it is
	 * first opened.  A report of a hundred events of a hundred tasks each
	 * draws in a blink because the tables it does not show are not made.
	 */
	function fold(cls, title, make) {
		const d = h('details', { class: cls }, h('summary', null, title));
		d.oomMake = make;
		d.addEventListener('toggle', () => { if (d.open) unfold(d); });
		return d;
	}
	function unfold(d) {
		if (d.oomMake) {
			put(d, d.oomMake());
			d.oomMake = null;
		}
		d.open = true;
	}
	function unfoldAll(sel) {
		for (const d of document.querySelectorAll(sel))
			unfold(d);
	}

	function tasks(ev) {
		if (!ev.tasks)
			return [];
		return [fold('tasktable', `Task table: ${ev.tasks.length} task${ev.tasks.length === 1 ? '' : 's'}` +
			(ev.tasks_capped ? ' (cut: the rest were not read)' : '') + '; sizes in pages; click a heading to sort',
			() => [table(ev)])];
	}

	function cgroups(ev) {
		const which = [['oom_memcg', 'the memory cgroup out of memory'], ['task_memcg', 'the victim\'s cgroup'],
			['target_cgroup', 'the cgroup killed'], ['oom_group', 'memory.oom.group: killed whole']];
		const out = [];
		for (const [k, what] of which) {
			const c = ev[k];
			if (!c)
				continue;
			const dl = h('dl', { class: 'cg', 'data-cgroup': k });
			for (const f of ['name', 'unit', 'runtime', 'container_id', 'namespace', 'pod', 'container', 'pod_uid', 'qos', 'path'])
				if (c[f] !== null && c[f] !== undefined)
					put(dl, [h('dt', null, f), h('dd', { 'data-field': f }, c[f])]);
			out.push(h('h3', null, what), dl);
		}
		return out;
	}

	function event(ev, i) {
		const k = kind(ev), sn = ev.sentences || [];
		const sec = h('section', { class: 'event k-' + k, id: 'ev-' + (i + 1), 'data-kind': k,
			'data-victim-pid': ev.victim ? ev.victim.pid : null, 'data-victim': ev.victim ? name(ev.victim) : null,
			'data-predicted-pid': ev.prediction ? ev.prediction.pid : null,
			'data-agrees': ev.prediction ? ev.prediction.agrees : null });
		put(sec, [h('h2', null, h('a', { href: '#ev-' + (i + 1) }, '#' + (i + 1)), ' ', sn[0] || k)]);
		sec.appendChild(h('ul', { class: 'sentences' }, ...sn.slice(1).map(x => h('li', null, x))));
		if (ev.killer === 'kernel')
			put(sec, [verdict(ev)]);
		put(sec, memory(ev));
		put(sec, candidates(ev));
		put(sec, tasks(ev));
		put(sec, cgroups(ev));
		const where = `lines ${ev.lines.first}\u2013${ev.lines.last}` + (ev.source ? ' of ' + ev.source : ' of the log') +
			(ev.time_raw ? `, stamped ${ev.time_raw}` : '');
		sec.appendChild(fold('raw', 'The log\'s lines: ' + where, () => [
			ev.lines.text === null ? h('p', null, 'not kept') : h('pre', { class: 'rawlines' }, ev.lines.text),
			ev.lines.text_capped ? h('p', null, 'cut at 1 MiB') : null]));
		/* its height until it is laid out (content-visibility): about a line and a half a row */
		const rows = sec.querySelectorAll('h2, h3, p, svg, dt, details, ul.legend, .sentences li, ol.candidates li').length;
		sec.style.containIntrinsicSize = `auto ${(2 + rows * 1.55).toFixed(1)}em`;
		return sec;
	}

	overview();
	timeline();
	const main = document.getElementById('events');
	events.forEach((ev, i) => main.appendChild(event(ev, i)));

	/*
	 * The address opens what is folded: #tasks every task table, #lines
	 * every event's log lines, #sort=COLUMN (pid, uid, tgid, total_vm, rss,
	 * swap, adj, badness, name; -COLUMN the other way) every task table
	 * sorted by it, as by a click.  Joined by &: #tasks&lines.
	 */
	function opened() {
		const want = location.hash.replace(/^#/, '').split('&');
		const sort = want.map(w => /^sort=(-?)([a-z_]+)$/.exec(w)).find(m => m);
		if (want.includes('tasks') || sort)
			unfoldAll('details.tasktable');
		if (want.includes('lines'))
			unfoldAll('details.raw');
		if (sort)
			for (const t of document.querySelectorAll('table.tasks'))
				sortTable(t, sort[2], sort[2] === 'name' ? sort[1] === '-' : sort[1] !== '-');
	}
	opened();
	/*
	 * #ev-N: the events are drawn after the browser looked for it, and the
	 * events around it are laid out only once they come into view, when
	 * they move it: it is scrolled to again whenever an event changes size,
	 * until the reader scrolls.
	 */
	let pinned = null;
	const keep = new ResizeObserver(() => { if (pinned) pinned.scrollIntoView(); });
	for (const sec of main.children)
		keep.observe(sec);
	for (const e of ['wheel', 'keydown', 'touchstart', 'mousedown'])
		window.addEventListener(e, () => { pinned = null; }, { passive: true });
	function go() {
		const at = /^#(ev-[0-9]+)$/.exec(location.hash);
		pinned = at && document.getElementById(at[1]);
		if (pinned)
			pinned.scrollIntoView();
	}
	window.addEventListener('hashchange', go);
	go();
	/* on paper, every task table whole */
	window.addEventListener('beforeprint', () => unfoldAll('details.tasktable'));
	document.body.dataset.drawn = events.length;
})();
