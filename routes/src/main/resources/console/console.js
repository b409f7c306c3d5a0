// The operator's console: plain JavaScript over the operator API (/api/v1/admin/...), with the
// browser's session. Every string comes from i18n.js; every value from the API is put in the page
// as text (never as HTML), so nothing a sender wrote can run here.
'use strict';

(function () {
  const API = '/api/v1/admin';
  const ZONE = 'Asia/Ho_Chi_Minh';
  const state = {
    lang: localStorage.getItem('lienthong.console.lang') || 'vi',
    me: null,
    agencies: [],
    tab: 'messages',
    search: { query: null, cursors: [], next: null },
    quarantine: { sender: '', cursors: [], next: null },
    openMessage: null,
    refreshTimer: null
  };

  // ------------------------------------------------------------------ words

  function t(key, params) {
    const words = window.LT_I18N[state.lang] || window.LT_I18N.vi;
    let text = words[key];
    if (text === undefined) {
      text = window.LT_I18N.en[key] !== undefined ? window.LT_I18N.en[key] : key;
    }
    if (params) {
      Object.keys(params).forEach(function (name) {
        text = text.split('{' + name + '}').join(String(params[name]));
      });
    }
    return text;
  }

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll('[data-i18n]').forEach(function (node) {
      node.textContent = t(node.getAttribute('data-i18n'));
    });
    document.title = t('app.title');
    document.querySelectorAll('.lang button').forEach(function (b) {
      b.classList.toggle('active', b.getAttribute('data-lang') === state.lang);
      b.setAttribute('aria-pressed', b.getAttribute('data-lang') === state.lang ? 'true' : 'false');
    });
    fillAgencySelects();
  }

  function setLanguage(lang) {
    state.lang = lang;
    localStorage.setItem('lienthong.console.lang', lang);
    applyLanguage();
    render(state.tab);
  }

  // ------------------------------------------------------------------ DOM

  function el(tag, attrs) {
    const node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        const value = attrs[name];
        if (value === null || value === undefined || value === false) {
          return;
        }
        if (name === 'text') {
          node.textContent = value;
        } else if (name === 'class') {
          node.className = value;
        } else if (name.indexOf('on') === 0) {
          node.addEventListener(name.substring(2), value);
        } else {
          node.setAttribute(name, value === true ? '' : value);
        }
      });
    }
    for (let i = 2; i < arguments.length; i++) {
      append(node, arguments[i]);
    }
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) {
      return;
    }
    if (Array.isArray(child)) {
      child.forEach(function (c) { append(node, c); });
    } else if (child instanceof Node) {
      node.appendChild(child);
    } else {
      node.appendChild(document.createTextNode(String(child)));
    }
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
    return node;
  }

  function $(id) {
    return document.getElementById(id);
  }

  function time(iso) {
    if (!iso) {
      return '—';
    }
    return new Intl.DateTimeFormat(state.lang === 'vi' ? 'vi-VN' : 'en-GB', {
      timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false
    }).format(new Date(iso));
  }

  function age(seconds) {
    if (seconds === null || seconds === undefined) {
      return '—';
    }
    const s = Math.floor(seconds);
    if (s < 60) {
      return t('age.s', { n: s });
    }
    if (s < 3600) {
      return t('age.m', { n: Math.floor(s / 60) });
    }
    if (s < 86400) {
      return t('age.h', { n: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
    }
    return t('age.d', { n: Math.floor(s / 86400), h: Math.floor((s % 86400) / 3600) });
  }

  function agencyName(code) {
    const a = state.agencies.find(function (x) { return x.code === code; });
    return a ? a.name[state.lang] || a.name.vi : null;
  }

  function agencyCell(code) {
    const name = agencyName(code);
    return el('span', { class: 'agency', title: name || code }, code);
  }

  function statusBadge(status, count) {
    return el('span', { class: 'badge status-' + status, 'data-status': status },
      t('status.' + status) + (count !== undefined ? ' ' + count : ''));
  }

  function shortId(id) {
    return id ? id.substring(0, 8) + '…' : '—';
  }

  // ------------------------------------------------------------------ notices

  function notify(text, kind) {
    const box = $('notice');
    clear(box);
    box.className = 'notice ' + (kind || 'info');
    box.appendChild(el('span', { id: 'notice-text' }, text));
    box.appendChild(el('button', { type: 'button', class: 'link', onclick: function () { box.hidden = true; } },
      t('common.close')));
    box.hidden = false;
    box.scrollIntoView({ block: 'nearest' });
  }

  function showError(error) {
    notify(error.message, 'error');
  }

  // ------------------------------------------------------------------ API

  function cookie(name) {
    const found = document.cookie.split('; ').find(function (c) { return c.indexOf(name + '=') === 0; });
    return found ? decodeURIComponent(found.substring(name.length + 1)) : null;
  }

  /** An API error the page can show: the HTTP status, the API's code and its own message. */
  function ApiError(status, code, detail) {
    let lead;
    if (status === 401) {
      lead = t('error.unauthenticated');
    } else if (status === 403) {
      lead = t('error.forbidden');
    } else if (status === 404) {
      lead = t('error.notFound');
    } else if (status === 409) {
      lead = t('error.conflict');
    } else if (status === 400) {
      lead = t('error.bad');
    } else if (status === 0) {
      lead = t('error.network');
    } else {
      lead = t('error.server', { status: status });
    }
    this.status = status;
    this.code = code;
    this.message = lead + (detail ? ' ' + detail : '') + (code ? ' [' + code + ']' : '');
  }

  async function call(method, path, body, raw) {
    const headers = { Accept: raw ? '*/*' : 'application/json' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      const token = cookie('XSRF-TOKEN');
      if (token) {
        headers['X-XSRF-TOKEN'] = token;
      }
    }
    let response;
    try {
      response = await fetch(path, {
        method: method, headers: headers, credentials: 'same-origin', redirect: 'manual',
        body: body === undefined ? undefined : JSON.stringify(body)
      });
    } catch (e) {
      throw new ApiError(0, null, null);
    }
    if (response.type === 'opaqueredirect') {
      throw new ApiError(401, null, null);
    }
    if (!response.ok) {
      let code = null;
      let detail = null;
      try {
        const problem = await response.json();
        code = problem.code || problem.error || null;
        detail = problem.message || problem.detail || null;
      } catch (e) {
        // Spring Security's 403 has no body: the status says it.
      }
      throw new ApiError(response.status, code, detail);
    }
    return raw ? response : response.json();
  }

  function query(params) {
    const q = new URLSearchParams();
    Object.keys(params).forEach(function (k) {
      if (params[k] !== null && params[k] !== undefined && params[k] !== '') {
        q.set(k, params[k]);
      }
    });
    const s = q.toString();
    return s ? '?' + s : '';
  }

  // ------------------------------------------------------------------ reasons

  /** Asks for a reason in the dialog; resolves with it, or null when cancelled. */
  function askReason(title, warning) {
    const dialog = $('reason-dialog');
    $('reason-title').textContent = title;
    $('reason-warning').textContent = warning || '';
    $('reason-warning').hidden = !warning;
    $('reason-error').hidden = true;
    $('reason-text').value = '';
    return new Promise(function (resolve) {
      function done(value) {
        $('reason-form').removeEventListener('submit', submit);
        $('reason-cancel').removeEventListener('click', cancel);
        dialog.close();
        resolve(value);
      }
      function submit(e) {
        e.preventDefault();
        const reason = $('reason-text').value.trim();
        if (!reason) {
          $('reason-error').textContent = t('error.reasonRequired');
          $('reason-error').hidden = false;
          return;
        }
        done(reason);
      }
      function cancel() {
        done(null);
      }
      $('reason-form').addEventListener('submit', submit);
      $('reason-cancel').addEventListener('click', cancel);
      dialog.showModal();
      $('reason-text').focus();
    });
  }

  // ------------------------------------------------------------------ tabs

  function show(tab) {
    state.tab = tab;
    document.querySelectorAll('.view').forEach(function (v) { v.hidden = v.id !== 'view-' + tab; });
    document.querySelectorAll('.tabs [data-tab]').forEach(function (b) {
      b.classList.toggle('active', b.getAttribute('data-tab') === tab);
      b.setAttribute('aria-selected', b.getAttribute('data-tab') === tab ? 'true' : 'false');
    });
    if (location.hash !== '#' + tab) {
      history.replaceState(null, '', '#' + tab);
    }
    render(tab);
  }

  function render(tab) {
    const work = {
      messages: function () {
        if (state.search.query) {
          runSearch();
        }
        if (state.openMessage) {
          openMessage(state.openMessage.id, state.openMessage.sender);
        }
      },
      quarantine: function () { loadQuarantine(); },
      backlog: function () { loadBacklog(); },
      traffic: function () { loadTraffic(); },
      cases: function () { loadCases(); },
      reports: function () { return loadReports(); }
    }[tab];
    if (work) {
      Promise.resolve(work()).catch(showError);
    }
  }

  function fillAgencySelects() {
    document.querySelectorAll('select.agency-select').forEach(function (select) {
      const chosen = select.value;
      clear(select);
      select.appendChild(el('option', { value: '' }, t('common.any')));
      state.agencies.forEach(function (a) {
        select.appendChild(el('option', { value: a.code }, a.code + ' — ' + (a.name[state.lang] || a.name.vi)));
      });
      select.value = chosen;
    });
  }

  // ------------------------------------------------------------------ messages

  function localToRfc3339(value) {
    if (!value) {
      return null;
    }
    // The fields are Vietnam time, whatever the browser's zone.
    return (value.length === 16 ? value + ':00' : value) + '+07:00';
  }

  function readSearchForm() {
    const f = $('search-form');
    return {
      messageId: f.messageId.value.trim(), correlationId: f.correlationId.value.trim(),
      sender: f.sender.value, recipient: f.recipient.value, type: f.type.value.trim(),
      status: f.status.value, channel: f.channel.value, classification: f.classification.value,
      from: localToRfc3339(f.from.value), to: localToRfc3339(f.to.value), limit: 25
    };
  }

  async function runSearch(after) {
    const q = Object.assign({}, state.search.query, { after: after || null });
    const tbody = $('search-results').querySelector('tbody');
    const page = await call('GET', API + '/messages' + query(q));
    clear(tbody);
    if (page.items.length === 0) {
      tbody.appendChild(el('tr', null, el('td', { colspan: 8, class: 'empty' }, t('common.none'))));
    }
    page.items.forEach(function (m) {
      const counts = deliveryCounts(m.deliveries || {});
      tbody.appendChild(el('tr', {
        'data-message-id': m.messageId, tabindex: 0,
        onclick: function () { openMessage(m.messageId, m.sender).catch(showError); },
        onkeydown: function (e) { if (e.key === 'Enter') { openMessage(m.messageId, m.sender).catch(showError); } }
      },
      el('td', { class: 'nowrap' }, time(m.receivedAt)), el('td', null, agencyCell(m.sender)),
      el('td', null, m.type), el('td', null, m.recipients.map(agencyCell)), el('td', { class: 'delivery-counts' }, counts),
      el('td', null, m.channel), el('td', null, el('span', { class: 'badge class-' + m.classification },
        t('class.' + m.classification))),
      el('td', { class: 'mono', title: m.messageId }, shortId(m.messageId))));
    });
    state.search.next = page.next;
    $('search-next').disabled = !page.next;
    $('search-first').disabled = !after;
    $('search-count').textContent = t('common.estimate', { n: page.totalEstimate }) + ' · '
      + t('common.shown', { n: page.items.length });
  }

  /** A badge per delivery status with its count. */
  function deliveryCounts(byStatus) {
    return Object.keys(byStatus).map(function (s) { return statusBadge(s, byStatus[s]); });
  }

  /**
   * The search result row of a message shows its deliveries' statuses as just read (after a resend or
   * an abandon, and while the page follows a delivery), not those of the last search.
   */
  function updateResultRow(m) {
    const row = $('search-results').querySelector('tr[data-message-id="' + m.messageId + '"]');
    const cell = row && row.querySelector('td.delivery-counts');
    if (!cell) {
      return;
    }
    const byStatus = {};
    m.deliveries.forEach(function (d) { byStatus[d.status] = (byStatus[d.status] || 0) + 1; });
    clear(cell);
    deliveryCounts(byStatus).forEach(function (badge) { cell.appendChild(badge); });
  }

  async function openMessage(id, sender) {
    const m = await call('GET', API + '/messages/' + encodeURIComponent(id) + query({ sender: sender }));
    updateResultRow(m);
    state.openMessage = { id: id, sender: m.sender };
    const box = clear($('message-detail'));
    box.hidden = false;
    box.setAttribute('data-message-id', m.messageId);
    box.appendChild(el('div', { class: 'table-head' },
      el('h2', null, t('message.title', { id: m.messageId })),
      el('span', null,
        el('button', { type: 'button', id: 'message-refresh', onclick: function () {
          openMessage(id, m.sender).catch(showError); } }, t('common.refresh')),
        el('button', { type: 'button', id: 'message-body', onclick: function () {
          showBody(m).catch(showError); } }, t('message.body')),
        el('button', { type: 'button', class: 'link', onclick: function () {
          box.hidden = true; state.openMessage = null; stopRefresh(); } }, t('common.close')))));
    box.appendChild(el('dl', { class: 'facts' },
      fact('field.sender', agencyCell(m.sender)), fact('field.type', m.type),
      fact('field.recipients', m.recipients.map(agencyCell)), fact('field.correlationId', m.correlationId || '—'),
      fact('field.priority', m.priority), fact('field.classification', t('class.' + m.classification)),
      fact('field.channel', m.channel + ' · ' + m.source), fact('field.createdAt', time(m.createdAt)),
      fact('field.receivedAt', time(m.receivedAt))));

    const deliveries = el('table', { class: 'grid', id: 'deliveries' },
      el('thead', null, el('tr', null, el('th', null, t('field.recipient')), el('th', null, t('field.channel')),
        el('th', null, t('field.status')), el('th', { class: 'num' }, t('field.attempts')),
        el('th', null, t('field.orderKey')), el('th', null, t('field.actions')))));
    const body = el('tbody');
    m.deliveries.forEach(function (d) {
      const actions = [];
      if (d.status === 'FAILED') {
        actions.push(el('button', { type: 'button', class: 'primary act-resend', 'data-delivery-id': d.deliveryId,
          onclick: function () { act('resend', d.deliveryId, m).catch(showError); } }, t('act.resend')));
        actions.push(el('button', { type: 'button', class: 'danger act-abandon', 'data-delivery-id': d.deliveryId,
          onclick: function () { act('abandon', d.deliveryId, m).catch(showError); } }, t('act.abandon')));
      }
      body.appendChild(el('tr', { 'data-delivery-id': d.deliveryId, 'data-recipient': d.recipient },
        el('td', null, agencyCell(d.recipient)), el('td', null, d.channel + (d.address ? ' · ' + d.address : '')),
        el('td', { class: 'delivery-status' }, statusBadge(d.status)), el('td', { class: 'num' }, d.attempts),
        el('td', { class: 'mono small' }, d.orderKey || '—'), el('td', { class: 'actions' }, actions)));
    });
    deliveries.appendChild(body);
    box.appendChild(el('div', { class: 'scroll' }, deliveries));
    box.appendChild(el('h3', null, t('message.timeline')));
    box.appendChild(timeline(m));
    box.appendChild(el('pre', { id: 'message-body-text', class: 'body', hidden: true }));
    box.scrollIntoView({ block: 'start' });
    // While a delivery is on its way, the page follows it.
    stopRefresh();
    if (m.deliveries.some(function (d) { return d.status === 'PENDING'; })) {
      state.refreshTimer = setTimeout(function () {
        if (state.openMessage && state.openMessage.id === id && state.tab === 'messages') {
          openMessage(id, m.sender).catch(showError);
        }
      }, 2000);
    }
  }

  function stopRefresh() {
    if (state.refreshTimer) {
      clearTimeout(state.refreshTimer);
      state.refreshTimer = null;
    }
  }

  function fact(key, value) {
    return [el('dt', null, t(key)), el('dd', null, value)];
  }

  /** Received, recorded, each attempt, delivered, acknowledged (or abandoned), in time order. */
  function timeline(m) {
    const events = [
      { at: m.createdAt, kind: 'created', text: t('timeline.created') + ' (' + m.sender + ')' },
      { at: m.receivedAt, kind: 'received', text: t('timeline.received') + ' (' + m.channel + ')' }
    ];
    m.deliveries.forEach(function (d) {
      d.attemptLog.forEach(function (a) {
        events.push({ at: a.at, kind: a.outcome === 'DELIVERED' ? 'ok' : 'error',
          text: t('timeline.attempt', { n: a.attempt, recipient: d.recipient, outcome: t('outcome.' + a.outcome) }),
          detail: a.error });
      });
      if (d.deliveredAt) {
        events.push({ at: d.deliveredAt, kind: 'ok', text: t('timeline.delivered', { recipient: d.recipient }) });
      }
      if (d.acknowledgedAt) {
        events.push({ at: d.acknowledgedAt, kind: 'ok', text: t('timeline.acknowledged', { recipient: d.recipient }) });
      }
      if (d.abandonedAt) {
        events.push({ at: d.abandonedAt, kind: 'abandoned',
          text: t('timeline.abandoned', { recipient: d.recipient, reason: d.abandonReason || '' }) });
      }
      if (d.status === 'FAILED') {
        const last = d.attemptLog.length ? d.attemptLog[d.attemptLog.length - 1].at : m.receivedAt;
        events.push({ at: last, kind: 'error', text: t('timeline.failed', { recipient: d.recipient, n: d.attempts }),
          detail: d.lastError, order: 1 });
      }
      if (d.status === 'PENDING' && d.nextAttemptAt) {
        events.push({ at: d.nextAttemptAt, kind: 'pending', text: t('timeline.next', { recipient: d.recipient }) });
      }
    });
    events.sort(function (a, b) {
      return (new Date(a.at) - new Date(b.at)) || ((a.order || 0) - (b.order || 0));
    });
    return el('ol', { class: 'timeline', id: 'timeline' }, events.map(function (e) {
      return el('li', { class: 'event ' + e.kind, 'data-kind': e.kind },
        el('span', { class: 'when' }, time(e.at)), el('span', { class: 'what' }, e.text),
        e.detail ? el('span', { class: 'detail' }, e.detail) : null);
    }));
  }

  async function showBody(m) {
    let response;
    try {
      response = await call('GET', API + '/messages/' + m.messageId + '/body' + query({ sender: m.sender }), undefined,
        true);
    } catch (e) {
      if (e.code !== 'REASON_REQUIRED') {
        throw e;
      }
      const reason = await askReason(t('act.reasonTitle.body', { id: shortId(m.messageId) }),
        t('message.bodyRestricted'));
      if (!reason) {
        return;
      }
      response = await call('GET', API + '/messages/' + m.messageId + '/body'
        + query({ sender: m.sender, reason: reason }), undefined, true);
    }
    const text = await response.text();
    const pre = $('message-body-text');
    try {
      pre.textContent = JSON.stringify(JSON.parse(text), null, 2);
    } catch (e) {
      pre.textContent = text;
    }
    pre.hidden = false;
  }

  async function act(kind, deliveryId, m) {
    const reason = await askReason(t('act.reasonTitle.' + kind, { id: shortId(deliveryId) }),
      kind === 'abandon' ? t('act.abandonHelp') : null);
    if (!reason) {
      return;
    }
    try {
      await call('POST', API + '/deliveries/' + deliveryId + '/' + kind, { reason: reason });
    } catch (e) {
      showError(e);
      return;
    }
    notify(t('act.done.' + kind), 'ok');
    await openMessage(m.messageId, m.sender);
  }

  // ------------------------------------------------------------------ quarantine

  async function loadQuarantine(after) {
    const q = state.quarantine;
    const page = await call('GET', API + '/quarantine' + query({ sender: q.sender, after: after, limit: 25 }));
    const tbody = clear($('quarantine-results').querySelector('tbody'));
    if (page.items.length === 0) {
      tbody.appendChild(el('tr', null, el('td', { colspan: 7, class: 'empty' }, t('common.none'))));
    }
    page.items.forEach(function (r) {
      tbody.appendChild(el('tr', { 'data-quarantine-id': r.quarantineId, tabindex: 0,
        onclick: function () { openRefused(r.quarantineId).catch(showError); } },
      el('td', { class: 'nowrap' }, time(r.receivedAt)), el('td', null, r.channel),
      el('td', { class: 'small' }, r.source), el('td', null, r.claimedSender ? agencyCell(r.claimedSender) : '—'),
      el('td', null, (r.errors || []).map(function (e) { return el('span', { class: 'badge status-FAILED' }, e.code); })),
      el('td', { class: 'num' }, r.bytes), el('td', { class: 'mono', title: r.inputSha256 }, shortId(r.inputSha256))));
    });
    q.next = page.next;
    $('quarantine-next').disabled = !page.next;
    $('quarantine-first').disabled = !after;
    $('quarantine-count').textContent = t('common.estimate', { n: page.totalEstimate });
  }

  async function openRefused(id) {
    const r = await call('GET', API + '/quarantine/' + id);
    const box = clear($('refused-detail'));
    box.hidden = false;
    box.appendChild(el('div', { class: 'table-head' }, el('h2', null, t('quarantine.one', { id: r.quarantineId })),
      el('span', null,
        el('button', { type: 'button', class: 'primary', id: 'download-original', onclick: function () {
          downloadOriginal(r).catch(showError); } }, t('act.download')),
        el('button', { type: 'button', class: 'link', onclick: function () { box.hidden = true; } },
          t('common.close')))));
    box.appendChild(el('dl', { class: 'facts' },
      fact('field.receivedAt', time(r.receivedAt)), fact('field.channel', r.channel + ' · ' + r.source),
      fact('field.claimedSender', r.claimedSender || '—'), fact('field.messageId', r.messageId || '—'),
      fact('field.bytes', r.bytes), fact('field.sha256', el('span', { class: 'mono small' }, r.inputSha256))));
    box.appendChild(el('table', { class: 'grid', id: 'refused-errors' },
      el('thead', null, el('tr', null, el('th', null, t('field.code')), el('th', null, t('field.pointer')),
        el('th', null, t('field.message')))),
      el('tbody', null, (r.errors || []).map(function (e) {
        return el('tr', null, el('td', { class: 'mono' }, e.code), el('td', { class: 'mono' }, e.pointer || '—'),
          el('td', null, e.message));
      }))));
    box.scrollIntoView({ block: 'start' });
  }

  async function downloadOriginal(r) {
    const reason = await askReason(t('act.reasonTitle.original', { id: shortId(r.quarantineId) }));
    if (!reason) {
      return;
    }
    const response = await call('GET', API + '/quarantine/' + r.quarantineId + '/original' + query({ reason: reason }),
      undefined, true);
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = el('a', { href: url, download: r.quarantineId + '.bin' });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // ------------------------------------------------------------------ backlog

  async function loadBacklog() {
    const page = await call('GET', API + '/backlog');
    const tbody = clear($('backlog-table').querySelector('tbody'));
    page.items.forEach(function (b) {
      const actions = [
        b.paused
          ? el('button', { type: 'button', class: 'act-resume', onclick: function () {
            recipientAct('resume', b.recipient).catch(showError); } }, t('act.resume'))
          : el('button', { type: 'button', class: 'act-pause', onclick: function () {
            recipientAct('pause', b.recipient).catch(showError); } }, t('act.pause'))
      ];
      if (b.failed > 0) {
        actions.push(el('button', { type: 'button', class: 'primary act-resend-all', onclick: function () {
          recipientAct('resendAll', b.recipient).catch(showError); } }, t('act.resendAll')));
      }
      const name = agencyName(b.recipient);
      tbody.appendChild(el('tr', { 'data-recipient': b.recipient, class: b.failed > 0 ? 'alert' : null },
        el('td', null, el('strong', null, b.recipient), name ? el('div', { class: 'muted small' }, name) : null),
        el('td', { class: 'num pending' }, b.pending), el('td', { class: 'num' }, age(b.oldestPendingAgeSeconds)),
        el('td', { class: 'num failed' }, b.failed > 0 ? statusBadge('FAILED', b.failed) : '0'),
        el('td', { class: 'paused' }, b.paused ? el('span', { class: 'badge status-PAUSED' }, t('field.paused'))
          : t('common.no')),
        el('td', { class: 'actions' }, actions)));
    });
  }

  async function recipientAct(kind, code) {
    const reason = await askReason(t('act.reasonTitle.' + kind, { code: code }));
    if (!reason) {
      return;
    }
    let answer;
    try {
      answer = kind === 'resendAll'
        ? await call('POST', API + '/deliveries/resend', { reason: reason, filter: { recipient: code } })
        : await call('POST', API + '/recipients/' + encodeURIComponent(code) + '/' + kind, { reason: reason });
    } catch (e) {
      showError(e);
      return;
    }
    notify(t('act.done.' + kind, { code: code, n: answer.resent }), 'ok');
    await loadBacklog();
  }

  // ------------------------------------------------------------------ traffic

  const OUTCOMES = ['delivered', 'pending', 'failed', 'refused'];

  async function loadTraffic() {
    const hours = Number($('traffic-hours').value);
    const sender = $('traffic-sender').value;
    const page = await call('GET', API + '/traffic' + query({ hours: hours }));
    const items = page.items.filter(function (i) { return !sender || i.sender === sender; });
    const legend = clear($('traffic-legend'));
    OUTCOMES.concat(['accepted']).forEach(function (o) {
      legend.appendChild(el('span', { class: 'key' }, el('span', { class: 'swatch ' + o }), t('traffic.' + o)));
    });
    // Every hour of the window, empty ones too.
    const start = new Date(page.from).getTime();
    const slots = [];
    for (let h = 0; h < page.hours; h++) {
      slots.push({ at: new Date(start + h * 3600000).toISOString(), accepted: 0, delivered: 0, pending: 0,
        failed: 0, refused: 0 });
    }
    const bySender = {};
    items.forEach(function (i) {
      const slot = slots[Math.round((new Date(i.hour).getTime() - start) / 3600000)];
      const agg = bySender[i.sender] || (bySender[i.sender] = { accepted: 0, delivered: 0, pending: 0, failed: 0,
        refused: 0 });
      ['accepted', 'delivered', 'pending', 'failed', 'refused'].forEach(function (k) {
        if (slot) {
          slot[k] += i[k];
        }
        agg[k] += i[k];
      });
    });
    drawHours(clear($('chart-hours')), slots);
    drawAgencies(clear($('chart-agencies')), bySender);
  }

  const SVG = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function hourLabel(iso) {
    return new Intl.DateTimeFormat(state.lang === 'vi' ? 'vi-VN' : 'en-GB', {
      timeZone: ZONE, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
  }

  /** Stacked bars per hour: deliveries by outcome and refused inputs; a line of accepted messages. */
  function drawHours(box, slots) {
    const width = 960;
    const height = 260;
    const left = 44;
    const bottom = 36;
    const top = 12;
    const highest = Math.max.apply(null, slots.map(function (s) {
      return Math.max(s.accepted, s.delivered + s.pending + s.failed + s.refused);
    }));
    // A multiple of four, so the four grid lines fall on whole numbers.
    const max = Math.max(4, Math.ceil(highest / 4) * 4);
    const chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, class: 'bars', role: 'img',
      'aria-label': t('traffic.byHour'), id: 'traffic-hours-svg' });
    const plotH = height - top - bottom;
    const step = (width - left - 8) / slots.length;
    for (let g = 0; g <= 4; g++) {
      const y = top + plotH - plotH * g / 4;
      chart.appendChild(svg('line', { x1: left, x2: width - 8, y1: y, y2: y, class: 'grid-line' }));
      chart.appendChild(svg('text', { x: left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' },
        String(Math.round(max * g / 4))));
    }
    const labelEvery = Math.ceil(slots.length / 12);
    const points = [];
    slots.forEach(function (s, i) {
      const x = left + i * step;
      let y = top + plotH;
      OUTCOMES.forEach(function (o) {
        const h = plotH * s[o] / max;
        if (h > 0) {
          const bar = svg('rect', { x: x + step * 0.15, y: y - h, width: step * 0.7, height: h, class: o });
          bar.appendChild(svg('title', {}, hourLabel(s.at) + ' — ' + t('traffic.' + o) + ': ' + s[o]));
          chart.appendChild(bar);
          y -= h;
        }
      });
      points.push((x + step / 2) + ',' + (top + plotH - plotH * s.accepted / max));
      if (i % labelEvery === 0) {
        chart.appendChild(svg('text', { x: x + step / 2, y: height - bottom + 16, class: 'axis',
          'text-anchor': 'middle' }, hourLabel(s.at)));
      }
    });
    chart.appendChild(svg('polyline', { points: points.join(' '), class: 'accepted-line' }));
    box.appendChild(chart);
  }

  /** One horizontal bar per sender, split by outcome, with the numbers. */
  function drawAgencies(box, bySender) {
    const senders = Object.keys(bySender).sort(function (a, b) {
      return bySender[b].accepted + bySender[b].refused - bySender[a].accepted - bySender[a].refused;
    });
    if (senders.length === 0) {
      box.appendChild(el('p', { class: 'empty' }, t('common.none')));
      return;
    }
    const max = Math.max.apply(null, senders.map(function (s) {
      const a = bySender[s];
      return Math.max(1, a.delivered + a.pending + a.failed + a.refused);
    }));
    const table = el('table', { class: 'grid hbars', id: 'traffic-agencies' },
      el('thead', null, el('tr', null, el('th', null, t('field.sender')), el('th', { class: 'num' },
        t('traffic.accepted')), el('th', { class: 'num' }, t('traffic.refused')), el('th', { class: 'num' },
        t('traffic.delivered')), el('th', { class: 'num' }, t('traffic.failed')), el('th', { class: 'num' },
        t('traffic.pending')), el('th', { class: 'bar-cell' }, ''))));
    const tbody = el('tbody');
    senders.forEach(function (s) {
      const a = bySender[s];
      const bar = svg('svg', { viewBox: '0 0 300 16', class: 'hbar', preserveAspectRatio: 'none' });
      let x = 0;
      OUTCOMES.forEach(function (o) {
        const w = 300 * a[o] / max;
        if (w > 0) {
          const r = svg('rect', { x: x, y: 0, width: w, height: 16, class: o });
          r.appendChild(svg('title', {}, s + ' — ' + t('traffic.' + o) + ': ' + a[o]));
          bar.appendChild(r);
          x += w;
        }
      });
      tbody.appendChild(el('tr', { 'data-sender': s }, el('td', null, agencyCell(s)),
        el('td', { class: 'num accepted' }, a.accepted), el('td', { class: 'num refused' }, a.refused),
        el('td', { class: 'num delivered' }, a.delivered), el('td', { class: 'num failed' }, a.failed),
        el('td', { class: 'num pending' }, a.pending), el('td', { class: 'bar-cell' }, bar)));
    });
    table.appendChild(tbody);
    box.appendChild(table);
  }

  // ------------------------------------------------------------------ cases

  async function loadCases() {
    const f = $('cases-form');
    const page = await call('GET', API + '/cases' + query({ filter: f.filter.value, dueWithinHours: f.dueWithinHours.value,
      agency: f.agency.value, kind: f.kind.value }));
    const tbody = clear($('cases-table').querySelector('tbody'));
    if (page.items.length === 0) {
      tbody.appendChild(el('tr', null, el('td', { colspan: 7, class: 'empty' }, t('common.none'))));
    }
    page.items.forEach(function (c) {
      tbody.appendChild(el('tr', { 'data-case-id': c.id, class: c.overdue ? 'alert' : null, tabindex: 0,
        onclick: function () { openCase(c.id).catch(showError); } },
      el('td', null, t('cases.kind.' + c.kind)), el('td', null, el('span', { class: 'badge state' }, c.state)),
      el('td', null, agencyCell(c.requester)), el('td', null, agencyCell(c.responder)),
      el('td', null, [c.measure, c.legalGround].filter(Boolean).join(' · ') || '—'),
      el('td', { class: 'nowrap' }, time(c.openedAt)),
      el('td', { class: 'nowrap' }, time(c.dueAt), c.overdue
        ? el('span', { class: 'badge status-FAILED' }, t('cases.overdue')) : null)));
    });
  }

  async function openCase(id) {
    const c = await call('GET', API + '/cases/' + id);
    const box = clear($('case-detail'));
    box.hidden = false;
    box.appendChild(el('div', { class: 'table-head' }, el('h2', null, t('cases.one', { id: c.id })),
      el('button', { type: 'button', class: 'link', onclick: function () { box.hidden = true; } }, t('common.close'))));
    box.appendChild(el('dl', { class: 'facts' },
      fact('field.kind', t('cases.kind.' + c.kind)), fact('field.state', c.state),
      fact('field.requester', agencyCell(c.requester)), fact('field.responder', agencyCell(c.responder)),
      fact('field.measure', c.measure || '—'), fact('field.legalGround', c.legalGround || '—'),
      fact('field.openedAt', time(c.openedAt)), fact('field.dueAt', time(c.dueAt)),
      fact('field.closedAt', time(c.closedAt))));
    box.appendChild(el('h3', null, t('cases.transitions')));
    box.appendChild(el('ol', { class: 'timeline', id: 'case-transitions' }, c.transitions.map(function (tr) {
      return el('li', { class: 'event ok' }, el('span', { class: 'when' }, time(tr.at)),
        el('span', { class: 'what' }, (tr.from || '∅') + ' → ' + tr.to),
        el('span', { class: 'detail' }, tr.cause || ''));
    })));
    if (c.listings && c.listings.length) {
      box.appendChild(el('h3', null, t('cases.listings')));
      box.appendChild(el('ul', null, c.listings.map(function (l) {
        return el('li', null, el('span', { class: 'badge state' }, l.state), ' ', l.url, l.note ? ' — ' + l.note : '');
      })));
    }
    box.appendChild(el('h3', null, t('cases.messages')));
    box.appendChild(el('table', { class: 'grid clickable', id: 'case-messages' },
      el('tbody', null, c.messages.map(function (m) {
        return el('tr', { tabindex: 0, onclick: function () {
          show('messages');
          openMessage(m.messageId, m.sender).catch(showError);
        } }, el('td', { class: 'nowrap' }, time(m.receivedAt)), el('td', null, m.type),
        el('td', null, agencyCell(m.sender)), el('td', { class: 'mono' }, m.messageId));
      }))));
    box.scrollIntoView({ block: 'start' });
  }

  // ------------------------------------------------------------------ reports

  const REPORTS = API + '/reports';
  const FIGURES = ['casesDetected', 'casesHandled', 'casesTransferredToPolice', 'finesVnd', 'goodsValueVnd',
    'listingsRemoved'];
  /** How many province × goods lines the early-warning chart draws (hotspots always; the table has all). */
  const SERIES_DRAWN = 8;
  /** The latest report asked for: an earlier answer arriving late is not shown over it. */
  let reportAsked = 0;

  function pad(n) {
    return (n < 10 ? '0' : '') + n;
  }

  /** Today in Việt Nam, as [year, month, day]. */
  function vietnamToday() {
    return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
      .format(new Date()).split('-').map(Number);
  }

  /** The ISO week (2026-W49) of a day given as UTC midnight. */
  function isoWeek(date) {
    const d = new Date(date.getTime());
    d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
    const jan1 = Date.UTC(d.getUTCFullYear(), 0, 1);
    return d.getUTCFullYear() + '-W' + pad(Math.ceil(((d.getTime() - jan1) / 86400000 + 1) / 7));
  }

  function number(n) {
    return n === null || n === undefined ? '—'
      : new Intl.NumberFormat(state.lang === 'vi' ? 'vi-VN' : 'en-GB').format(n);
  }

  function day(isoDate) {
    const p = isoDate.split('-');
    return state.lang === 'vi' ? p[2] + '/' + p[1] + '/' + p[0] : isoDate;
  }

  /** A code's words (goods., category., site.), or the code itself. */
  function label(kind, code) {
    const key = kind + '.' + code;
    const text = t(key);
    return text === key ? code : text;
  }

  function provinceLabel(code) {
    const name = agencyName('PROV.' + code);
    return name ? code + ' · ' + name : code;
  }

  function fillFigures() {
    const select = $('r-figure');
    const chosen = select.value || 'casesDetected';
    clear(select);
    FIGURES.forEach(function (f) { select.appendChild(el('option', { value: f }, t('figure.' + f))); });
    select.value = chosen;
  }

  const PERIOD_MONTHS = { month: 1, quarter: 3, 'half-year': 6, year: 12 };
  const PERIODS_LISTED = { month: 24, quarter: 12, 'half-year': 6, year: 5 };

  /** A period's key as the API takes it: month:2026-10, quarter:2026-Q3, half-year:2026-H1, year:2026. */
  function periodKey(kind, year, endMonth) {
    const value = kind === 'month' ? year + '-' + pad(endMonth)
      : kind === 'quarter' ? year + '-Q' + endMonth / 3
        : kind === 'half-year' ? year + '-H' + endMonth / 6 : String(year);
    return kind + ':' + value;
  }

  function periodLabel(key) {
    const kind = key.substring(0, key.indexOf(':'));
    const value = key.substring(key.indexOf(':') + 1);
    if (kind === 'month') {
      return t('period.month', { y: value.substring(0, 4), m: value.substring(5) });
    }
    if (kind === 'quarter') {
      return t('period.quarter', { y: value.substring(0, 4), n: value.substring(6) });
    }
    if (kind === 'half-year') {
      return t('period.half' + value.substring(6), { y: value.substring(0, 4) });
    }
    return t('period.year', { y: value });
  }

  /** The periods of a kind, newest first: the one under way, then those before it (the default). */
  function fillPeriods(kind) {
    const select = $('r-period');
    const chosen = select.value;
    const months = PERIOD_MONTHS[kind];
    const today = vietnamToday();
    let year = today[0];
    let end = Math.ceil(today[1] / months) * months;
    const keys = [];
    for (let i = 0; i < PERIODS_LISTED[kind]; i++) {
      keys.push(periodKey(kind, year, end));
      end -= months;
      if (end <= 0) {
        end += 12;
        year -= 1;
      }
    }
    clear(select);
    keys.forEach(function (k) { select.appendChild(el('option', { value: k }, periodLabel(k))); });
    select.value = keys.indexOf(chosen) >= 0 ? chosen : keys[1];
  }

  function showReportKind() {
    const warning = $('r-kind').value === 'warning';
    if (!warning) {
      fillPeriods($('r-kind').value);
    }
    $('r-period-label').hidden = warning;
    $('r-figure-label').hidden = warning;
    $('r-week-label').hidden = !warning;
  }

  function loadReports() {
    fillFigures();
    showReportKind();
    if ($('r-kind').value === 'warning') {
      $('report-consolidation').hidden = true;
      return loadWarning();
    }
    $('report-warning').hidden = true;
    return loadConsolidation();
  }

  function downloadLink(id, href, text) {
    return el('a', { id: id, class: 'download', href: href, download: '' }, text);
  }

  /**
   * A bar chart (ECharts, when its script loaded) and beside it the same numbers as a table, the
   * chart's text alternative: rows of {key, label, value}.
   */
  function barChart(name, rows, seriesName, color) {
    const box = $('chart-' + name);
    box.setAttribute('aria-label', seriesName);
    box.setAttribute('aria-describedby', 'table-' + name + '-grid');
    const table = el('table', { class: 'grid chart-table', id: 'table-' + name + '-grid' },
      el('thead', null, el('tr', null, el('th', null, t('col.key')), el('th', { class: 'num' }, seriesName))),
      el('tbody', null, rows.length === 0
        ? el('tr', null, el('td', { colspan: 2, class: 'empty' }, t('common.none')))
        : rows.map(function (r) {
          return el('tr', { 'data-key': r.key }, el('td', null, r.label),
            el('td', { class: 'num', 'data-value': r.value }, number(r.value)));
        })));
    clear($('table-' + name)).appendChild(table);
    draw(box, rows.length === 0 ? null : {
      animation: false,
      aria: { enabled: true },
      color: [color || '#1f5fa8'],
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: rows.map(function (r) { return r.label; }),
        axisLabel: { interval: 0, rotate: rows.length > 4 ? 25 : 0, width: 140, overflow: 'truncate' } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: seriesName, data: rows.map(function (r) { return r.value; }),
        barMaxWidth: 48, label: { show: true, position: 'top' } }]
    });
  }

  /** Draws an option on a box (replacing what it showed); without ECharts the tables stand alone. */
  function draw(box, option) {
    if (!window.echarts) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    const chart = window.echarts.getInstanceByDom(box) || window.echarts.init(box, null, { renderer: 'canvas' });
    if (option) {
      chart.setOption(option, true);
    } else {
      chart.clear();
    }
    chart.resize();
  }

  function sortedRows(map, kind, figure) {
    return Object.keys(map || {}).map(function (k) {
      return { key: k, label: label(kind, k), value: map[k][figure] };
    }).sort(function (a, b) { return b.value - a.value || a.key.localeCompare(b.key); });
  }

  async function loadConsolidation() {
    const period = $('r-period').value;
    const figure = $('r-figure').value;
    const asked = ++reportAsked;
    const c = await call('GET', REPORTS + '/consolidation' + query({ period: period }));
    if (asked !== reportAsked) {
      return;
    }
    $('report-consolidation').hidden = false;
    const expected = c.reported.length + c.missing.length;
    $('consolidation-title').textContent = t('reports.consolidationOf', { period: periodLabel(c.period) });
    $('consolidation-title').setAttribute('data-period', c.period);
    const due = $('consolidation-due');
    due.textContent = (c.pastDue ? t('reports.pastDue') : t('reports.notDue')) + ' · ' + day(c.dueDate);
    due.className = 'badge ' + (c.pastDue ? 'status-FAILED' : 'status-PENDING');
    $('consolidation-summary').textContent = t('reports.summary', { n: c.reported.length, total: expected,
      due: day(c.dueDate), missing: c.missing.length });
    $('consolidation-summary').setAttribute('data-reported', c.reported.length);
    $('consolidation-summary').setAttribute('data-missing', c.missing.length);

    const downloads = clear($('consolidation-downloads'));
    downloads.appendChild(el('span', null, t('reports.downloads')));
    ['parties', 'categories', 'goods'].forEach(function (table) {
      downloads.appendChild(downloadLink('dl-consolidation-' + table, REPORTS + '/consolidation.csv'
        + query({ period: c.period, table: table }), t('reports.csv.' + table)));
    });
    downloads.appendChild(downloadLink('dl-consolidation-xlsx', REPORTS + '/consolidation.xlsx'
      + query({ period: c.period }), t('reports.xlsx')));

    $('parties-figure').textContent = t('figure.' + figure);
    const tbody = clear($('parties-table').querySelector('tbody'));
    c.reported.forEach(function (r) {
      const status = r.onTime ? 'REPORTED' : 'LATE';
      tbody.appendChild(el('tr', { 'data-party': r.code, 'data-status': status },
        el('td', null, el('strong', null, r.code)), el('td', null, agencyName(r.code) || r.name),
        el('td', null, r.province || '—'),
        el('td', null, el('span', { class: 'badge report-' + status }, t('reports.status.' + status))),
        el('td', { class: 'nowrap' }, day(c.dueDate)), el('td', { class: 'nowrap' }, time(r.receivedAt)),
        el('td', { class: 'num' }, r.reports),
        el('td', { class: 'num', 'data-value': r.totals[figure] }, number(r.totals[figure]))));
    });
    c.missing.forEach(function (p) {
      const status = c.pastDue ? 'MISSING' : 'NOT_YET';
      tbody.appendChild(el('tr', { 'data-party': p.code, 'data-status': status, class: c.pastDue ? 'alert' : null },
        el('td', null, el('strong', null, p.code)), el('td', null, agencyName(p.code) || p.name),
        el('td', null, p.province || '—'),
        el('td', null, el('span', { class: 'badge report-' + status }, t('reports.status.' + status))),
        el('td', { class: 'nowrap' }, day(c.dueDate)), el('td', null, '—'), el('td', { class: 'num' }, 0),
        el('td', { class: 'num' }, '—')));
    });
    if (expected === 0) {
      tbody.appendChild(el('tr', null, el('td', { colspan: 8, class: 'empty' }, t('common.none'))));
    }

    const seriesName = t('figure.' + figure);
    barChart('category', sortedRows(c.byCategory, 'category', figure), seriesName, '#1f5fa8');
    barChart('goods', sortedRows(c.byGoods, 'goods', figure), seriesName, '#b7791f');
    const provinces = {};
    c.reported.forEach(function (r) {
      const key = r.province || r.code;
      provinces[key] = (provinces[key] || 0) + r.totals[figure];
    });
    barChart('province', Object.keys(provinces).map(function (k) {
      return { key: k, label: r2label(k), value: provinces[k] };
    }).sort(function (a, b) { return b.value - a.value || a.key.localeCompare(b.key); }), seriesName, '#2e7d4f');

    const previous = periodLabel(c.previousPeriod);
    $('change-title').textContent = t('reports.change', { previous: previous });
    const change = clear($('change-table').querySelector('tbody'));
    FIGURES.forEach(function (f) {
      const ch = c.change[f];
      const trend = ch.difference > 0 ? 'up' : ch.difference < 0 ? 'down' : 'same';
      change.appendChild(el('tr', { 'data-figure': f, class: f === figure ? 'chosen' : null },
        el('td', null, t('figure.' + f)),
        el('td', { class: 'num', 'data-value': c.totals[f] }, number(c.totals[f])),
        el('td', { class: 'num', 'data-value': c.previousTotals[f] }, number(c.previousTotals[f])),
        el('td', { class: 'num trend-' + trend, 'data-value': ch.difference },
          (ch.difference > 0 ? '▲ +' : ch.difference < 0 ? '▼ ' : '') + number(ch.difference)),
        el('td', { class: 'num', 'data-value': ch.percent === null ? '' : ch.percent },
          ch.percent === null ? '—' : (ch.percent > 0 ? '+' : '') + number(ch.percent) + ' %')));
    });
    const changeBox = $('chart-change');
    changeBox.setAttribute('aria-label', t('reports.change', { previous: previous }));
    changeBox.setAttribute('aria-describedby', 'change-table');
    draw(changeBox, {
      animation: false,
      aria: { enabled: true },
      color: ['#7b8794', '#b3202a'],
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: [previous, periodLabel(c.period)] },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: seriesName, barMaxWidth: 64, label: { show: true, position: 'top' },
        data: [c.previousTotals[figure], { value: c.totals[figure], itemStyle: { color: '#b3202a' } }] }]
    });
  }

  function r2label(province) {
    return /^[0-9]+$/.test(province) ? provinceLabel(province) : province;
  }

  async function loadWarning() {
    const week = $('r-week').value;
    const asked = ++reportAsked;
    const v = await call('GET', REPORTS + '/warning' + query({ week: week }));
    if (asked !== reportAsked) {
      return;
    }
    $('report-warning').hidden = false;
    $('warning-title').textContent = t('warning.of', { week: v.week });
    $('warning-summary').textContent = t('warning.summary', { week: v.week, from: day(v.from), to: day(v.to),
      n: v.notices, h: v.hotspots.length });
    const count = $('warning-hotspot-count');
    count.textContent = t('warning.hotspotCount', { n: v.hotspots.length });
    count.className = 'badge ' + (v.hotspots.length > 0 ? 'status-FAILED' : 'status-DELIVERED');

    const downloads = clear($('warning-downloads'));
    downloads.appendChild(el('span', null, t('reports.downloads')));
    ['cells', 'hotspots', 'sites'].forEach(function (table) {
      downloads.appendChild(downloadLink('dl-warning-' + table, REPORTS + '/warning.csv'
        + query({ week: v.week, table: table }), t('warning.csv.' + table)));
    });
    downloads.appendChild(downloadLink('dl-warning-xlsx', REPORTS + '/warning.xlsx' + query({ week: v.week }),
      t('reports.xlsx')));

    // The weeks: from the earliest with notices (at least the one before) to the week shown.
    const monday = new Date(v.from + 'T00:00:00Z');
    const earliest = v.cells.reduce(function (m, c) { return c.week < m ? c.week : m; }, v.week);
    const weeks = [v.week];
    for (let back = 1; back < 104; back++) {
      const w = isoWeek(new Date(monday.getTime() - back * 7 * 86400000));
      weeks.unshift(w);
      if (w <= earliest && back >= 1) {
        break;
      }
    }
    const hot = {};
    v.hotspots.forEach(function (h) { hot[h.province + '|' + h.goods] = true; });
    const series = {};
    v.cells.forEach(function (c) {
      const key = c.province + '|' + c.goods;
      const s = series[key] || (series[key] = { key: key, province: c.province, goods: c.goods, counts: {}, total: 0 });
      s.counts[c.week] = (s.counts[c.week] || 0) + c.count;
      s.total += c.count;
    });
    const all = Object.keys(series).map(function (k) { return series[k]; }).sort(function (a, b) {
      return (hot[b.key] ? 1 : 0) - (hot[a.key] ? 1 : 0) || b.total - a.total || a.key.localeCompare(b.key);
    });
    const name = function (s) { return s.province + ' × ' + label('goods', s.goods); };

    // The table: every line, every week; hotspots marked.
    const head = el('tr', null, el('th', null, t('col.series')), weeks.map(function (w) {
      return el('th', { class: 'num' }, w);
    }));
    const body = el('tbody');
    all.forEach(function (s) {
      body.appendChild(el('tr', { 'data-key': s.key, class: hot[s.key] ? 'hotspot' : null },
        el('td', { title: provinceLabel(s.province) }, name(s),
          hot[s.key] ? el('span', { class: 'badge hot' }, t('warning.hotspot')) : null),
        weeks.map(function (w) {
          return el('td', { class: 'num', 'data-week': w, 'data-value': s.counts[w] || 0 }, s.counts[w] || 0);
        })));
    });
    if (all.length === 0) {
      body.appendChild(el('tr', null, el('td', { colspan: weeks.length + 1, class: 'empty' }, t('common.none'))));
    }
    clear($('table-warning')).appendChild(el('table', { class: 'grid chart-table', id: 'table-warning-grid' },
      el('thead', null, head), body));
    const box = $('chart-warning');
    box.setAttribute('aria-label', t('warning.series'));
    box.setAttribute('aria-describedby', 'table-warning-grid');
    const drawn = all.slice(0, Math.max(SERIES_DRAWN, all.filter(function (s) { return hot[s.key]; }).length));
    draw(box, drawn.length === 0 ? null : {
      animation: false,
      aria: { enabled: true },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 24, right: 96, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: weeks, boundaryGap: false },
      yAxis: { type: 'value', minInterval: 1 },
      series: drawn.map(function (s) {
        const isHot = !!hot[s.key];
        return { type: 'line', id: s.key, name: name(s),
          data: weeks.map(function (w) { return s.counts[w] || 0; }),
          symbolSize: isHot ? 10 : 5, z: isHot ? 3 : 2,
          itemStyle: isHot ? { color: '#c0392b' } : undefined,
          lineStyle: { width: isHot ? 4 : 1.5, type: isHot ? 'solid' : 'dashed' },
          endLabel: isHot ? { show: true, formatter: t('warning.hotspot') } : undefined,
          emphasis: { focus: 'series' } };
      })
    });

    const hotspots = clear($('hotspots-table').querySelector('tbody'));
    v.hotspots.forEach(function (h) {
      hotspots.appendChild(el('tr', { class: 'alert hotspot', 'data-key': h.province + '|' + h.goods + '|' + h.platform },
        el('td', null, provinceLabel(h.province)), el('td', null, label('goods', h.goods)), el('td', null, h.platform),
        el('td', { class: 'num', 'data-value': h.count }, h.count),
        el('td', { class: 'num', 'data-value': h.previous }, h.previous)));
    });
    if (v.hotspots.length === 0) {
      hotspots.appendChild(el('tr', null, el('td', { colspan: 5, class: 'empty' }, t('common.none'))));
    }
    const sites = clear($('sites-table').querySelector('tbody'));
    v.sites.forEach(function (s) {
      // Shown as text, never as a link: these are sites named for violations.
      sites.appendChild(el('tr', { 'data-site': s.key }, el('td', null, label('site', s.kind)),
        el('td', { class: 'mono' }, s.key), el('td', null, s.platform),
        el('td', { class: 'num', 'data-value': s.mentions }, s.mentions), el('td', null, s.by.map(agencyCell)),
        el('td', { class: 'nowrap' }, time(s.firstSeen)), el('td', { class: 'nowrap' }, time(s.lastSeen))));
    });
    if (v.sites.length === 0) {
      sites.appendChild(el('tr', null, el('td', { colspan: 7, class: 'empty' }, t('common.none'))));
    }
  }

  function startReports() {
    const today = vietnamToday();
    fillPeriods('month');
    $('r-week').value = isoWeek(new Date(Date.UTC(today[0], today[1] - 1, today[2])));
    fillFigures();
    $('r-kind').addEventListener('change', function () { loadReports().catch(showError); });
    $('r-figure').addEventListener('change', function () { loadReports().catch(showError); });
    $('r-period').addEventListener('change', function () { loadReports().catch(showError); });
    $('reports-form').addEventListener('submit', function (e) {
      e.preventDefault();
      loadReports().catch(showError);
    });
    window.addEventListener('resize', function () {
      document.querySelectorAll('.echart').forEach(function (box) {
        const chart = window.echarts && window.echarts.getInstanceByDom(box);
        if (chart) {
          chart.resize();
        }
      });
    });
  }

  // ------------------------------------------------------------------ start

  async function start() {
    applyLanguage();
    document.querySelectorAll('.lang button').forEach(function (b) {
      b.addEventListener('click', function () { setLanguage(b.getAttribute('data-lang')); });
    });
    document.querySelectorAll('.tabs [data-tab]').forEach(function (b) {
      b.addEventListener('click', function () { show(b.getAttribute('data-tab')); });
    });
    $('search-form').addEventListener('submit', function (e) {
      e.preventDefault();
      state.search.query = readSearchForm();
      state.search.cursors = [];
      runSearch().catch(showError);
    });
    $('search-reset').addEventListener('click', function () {
      setTimeout(function () { fillAgencySelects(); }, 0);
    });
    $('search-next').addEventListener('click', function () {
      state.search.cursors.push(state.search.next);
      runSearch(state.search.next).catch(showError);
    });
    $('search-first').addEventListener('click', function () {
      state.search.cursors = [];
      runSearch().catch(showError);
    });
    $('quarantine-form').addEventListener('submit', function (e) {
      e.preventDefault();
      state.quarantine.sender = $('q-sender').value;
      loadQuarantine().catch(showError);
    });
    $('quarantine-next').addEventListener('click', function () {
      loadQuarantine(state.quarantine.next).catch(showError);
    });
    $('quarantine-first').addEventListener('click', function () { loadQuarantine().catch(showError); });
    $('backlog-refresh').addEventListener('click', function () { loadBacklog().catch(showError); });
    $('traffic-hours').addEventListener('change', function () { loadTraffic().catch(showError); });
    $('traffic-sender').addEventListener('change', function () { loadTraffic().catch(showError); });
    startReports();
    $('cases-form').addEventListener('submit', function (e) {
      e.preventDefault();
      loadCases().catch(showError);
    });
    try {
      state.me = await call('GET', API + '/me');
      $('user-name').textContent = state.me.name;
      // The label is the page's (data-i18n): it follows the language switch; the roles are data.
      $('user-roles-list').textContent = state.me.roles.join(', ');
      $('user-roles').hidden = false;
      const operator = state.me.roles.indexOf('operator') >= 0;
      $('auditor-hint').hidden = operator;
      document.body.classList.toggle('is-operator', operator);
      $('tab-hawtio').hidden = !operator;
      state.agencies = (await call('GET', API + '/agencies')).items;
      fillAgencySelects();
    } catch (e) {
      showError(e);
    }
    const first = (location.hash || '#messages').substring(1);
    show(['messages', 'quarantine', 'backlog', 'traffic', 'cases', 'reports'].indexOf(first) >= 0 ? first : 'messages');
    document.body.setAttribute('data-ready', 'true');
  }

  document.addEventListener('DOMContentLoaded', start);
})();
