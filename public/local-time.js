// Shows every <time datetime="…"> in the viewer's own time zone.
//
// The server writes dates in UTC ("2026-11-23 09:52 UTC"): it does not know
// where the viewer is. This script rewrites the text of each <time> element
// from its `datetime` attribute, now and whenever the page adds or changes
// one (client-side navigation, a refreshed table), and keeps the UTC text
// as the element's title. It only touches the text node's data, never the
// nodes themselves, so hydration finds the DOM the server sent.
(() => {
  const format = new Intl.DateTimeFormat('sv-SE', {
    year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
  });
  const localise = (el) => {
    const text = el.firstChild;
    const at = new Date(el.getAttribute('datetime'));
    if (!text || text.nodeType !== Node.TEXT_NODE || Number.isNaN(at.getTime())) return;
    const local = format.format(at);
    if (text.data === local) return;
    if (!el.title) el.title = text.data;
    text.data = local;
  };
  const sweep = (root) => {
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    if (root.matches('time[datetime]')) localise(root);
    root.querySelectorAll('time[datetime]').forEach(localise);
  };
  const start = () => {
    sweep(document.body);
    new MutationObserver((changes) => {
      for (const change of changes) {
        const target = change.type === 'characterData' ? change.target.parentElement : change.target;
        if (target && target.matches && target.matches('time[datetime]')) localise(target);
        change.addedNodes.forEach(sweep);
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['datetime'] });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
