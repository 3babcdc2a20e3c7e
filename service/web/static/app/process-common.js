/* What the processes pages' scripts share: JSON requests with the session cookie and the CSRF
 * header, the request language, and a refusal (problem+json) as one readable sentence. */
(function () {
  'use strict';

  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  const lang = document.documentElement.lang === 'en' ? 'en' : 'zh';

  function withLang(url) {
    return url + (url.includes('?') ? '&' : '?') + 'lang=' + lang;
  }

  /* {ok, status, data}: never throws for an HTTP answer; a network failure becomes status 0 */
  async function api(method, url, body) {
    const options = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (method !== 'GET') options.headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(withLang(url), options);
    } catch (error) {
      return { ok: false, status: 0, data: { detail: String(error) } };
    }
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (error) { data = { detail: text.slice(0, 300) }; }
    return { ok: response.ok, status: response.status, data };
  }

  /* the refusal's sentence, its field errors after it */
  function said(data) {
    if (!data) return '';
    const parts = [data.detail || data.error || data.title || ''];
    if (data.errors && typeof data.errors === 'object') parts.push(...Object.values(data.errors).map(String));
    return parts.filter(Boolean).join(lang === 'zh' ? '；' : '; ');
  }

  function labels(config) {
    const known = (config && config.labels) || {};
    return (key, values) => String(known[key] || key).replace(/\{(\w+)\}/g, (m, name) =>
      (values && name in values ? values[name] : m));
  }

  function config(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent || '{}') : {};
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === 'testid') node.dataset.testid = value;
      else if (name === 'className') node.className = value;
      else node.setAttribute(name, value);
    }
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  window.GuichengPages = { api, said, labels, config, element, lang };
})();
