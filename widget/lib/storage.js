// Everything the widget keeps, and only on this device: in-progress answers (sessionStorage: survive a
// reload, gone when the tab closes), opt-in result history and share receipts/queue (localStorage).
// Every key starts with "kindband:" so that "remove everything" can find them all.

const PREFIX = "kindband:";
const HISTORY_KEY = PREFIX + "history";
const KEEP_HISTORY_KEY = PREFIX + "keep-history";
const SHARES_KEY = PREFIX + "shares";
const FAMILY_KEY = PREFIX + "family";
const KEEP_FAMILY_KEY = PREFIX + "keep-family";
const HISTORY_LIMIT = 50;

function area(name) {
  try {
    const storage = window[name];
    const probe = PREFIX + "probe";
    storage.setItem(probe, "1");
    storage.removeItem(probe);
    return storage;
  } catch {
    return null; // blocked (privacy settings, sandboxed iframe): the widget still works, keeps nothing
  }
}

function readJson(storage, key, fallback) {
  if (!storage) return fallback;
  try {
    const text = storage.getItem(key);
    return text === null ? fallback : JSON.parse(text);
  } catch {
    return fallback; // damaged by hand or by another version: start clean rather than fail
  }
}

function writeJson(storage, key, value) {
  if (!storage) return false;
  try {
    storage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false; // quota exceeded
  }
}

export class DeviceStorage {
  constructor() {
    this.session = area("sessionStorage");
    this.local = area("localStorage");
  }

  /** False when this browser lets us keep nothing (answers are lost on reload). */
  get available() {
    return Boolean(this.session || this.local);
  }

  // In-progress answers for one set of instruments ("phq9,gad7"), per tab.
  loadProgress(set) {
    return readJson(this.session, PREFIX + "progress:" + set, null);
  }
  saveProgress(set, progress) {
    writeJson(this.session, PREFIX + "progress:" + set, progress);
  }
  clearProgress(set) {
    this.session?.removeItem(PREFIX + "progress:" + set);
  }

  // Opt-in history of results (scores only, never answers).
  get keepHistory() {
    return readJson(this.local, KEEP_HISTORY_KEY, false) === true;
  }
  set keepHistory(keep) {
    if (keep) writeJson(this.local, KEEP_HISTORY_KEY, true);
    else this.local?.removeItem(KEEP_HISTORY_KEY);
  }
  history(instrumentId) {
    const all = readJson(this.local, HISTORY_KEY, []);
    const list = Array.isArray(all) ? all : [];
    return instrumentId ? list.filter((entry) => entry.instrument === instrumentId) : list;
  }
  /** Adds a result once (entries with the same completion id are not repeated). */
  addHistory(entry) {
    const list = this.history().filter((old) => old.completion !== entry.completion);
    list.push(entry);
    return writeJson(this.local, HISTORY_KEY, list.slice(-HISTORY_LIMIT));
  }

  // Shares: the offline queue and the receipts (see sharing.js).
  loadShares() {
    const list = readJson(this.local, SHARES_KEY, []);
    return Array.isArray(list) ? list : [];
  }
  saveShares(list) {
    return writeJson(this.local, SHARES_KEY, list);
  }

  // The family's id and this device's family key (care-network.md). In localStorage only when the
  // parent chose to keep the family on this device; otherwise in this tab (sessionStorage), or in
  // memory when the browser keeps nothing.
  get keepFamily() {
    return readJson(this.local, KEEP_FAMILY_KEY, false) === true;
  }
  set keepFamily(keep) {
    const family = this.loadFamily();
    this.clearFamily();
    if (keep) writeJson(this.local, KEEP_FAMILY_KEY, true);
    else this.local?.removeItem(KEEP_FAMILY_KEY);
    if (family) this.saveFamily(family);
  }
  loadFamily() {
    const area = this.keepFamily ? this.local : this.session;
    return area ? readJson(area, FAMILY_KEY, null) : (this.familyInMemory ?? null);
  }
  saveFamily(family) {
    const area = this.keepFamily ? this.local : this.session;
    if (!writeJson(area, FAMILY_KEY, family)) this.familyInMemory = family;
  }
  clearFamily() {
    this.local?.removeItem(FAMILY_KEY);
    this.session?.removeItem(FAMILY_KEY);
    this.familyInMemory = null;
  }

  /** Removes every key the widget ever wrote, in both storage areas. */
  clearAll() {
    for (const storage of [this.session, this.local]) {
      if (!storage) continue;
      const keys = [];
      for (let i = 0; i < storage.length; i += 1) {
        const key = storage.key(i);
        if (key && key.startsWith(PREFIX)) keys.push(key);
      }
      for (const key of keys) storage.removeItem(key);
    }
    this.familyInMemory = null;
  }
}
