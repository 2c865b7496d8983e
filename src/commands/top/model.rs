//! `top`'s state: the readings the worker sends, the rates and trends derived from them, and
//! what the keys pressed do. No terminal and no Redis here (unit-tested).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::output;
use crate::queue::Depth;
use crate::queue::flow::{Flow, Pushed};
use crate::queue::keys::ListName;
use crate::queue::profile::Profile;

/// How long the trend of each queue's main depth reaches back.
pub const HISTORY_MS: i64 = 10 * 60 * 1000;
/// Bounds of the refresh interval (`+` / `-`).
pub const MIN_INTERVAL: Duration = Duration::from_millis(250);
pub const MAX_INTERVAL: Duration = Duration::from_secs(60);

/// One refresh of every queue, from the worker.
#[derive(Debug, Clone)]
pub struct Reading {
    pub queues: Vec<QueueReading>,
    /// Queues skipped and why (a cluster queue spanning slots).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct QueueReading {
    pub name: String,
    pub depth: Depth,
    pub flow: Flow,
}

/// Elements per second, and whether it is only a lower bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub per_sec: f64,
    pub at_least: bool,
}

impl Rate {
    pub fn text(r: Option<Rate>) -> String {
        let Some(r) = r else { return "-".into() };
        let n = r.per_sec;
        let v = if n == 0.0 {
            "0".to_owned()
        } else if n < 10.0 {
            format!("{n:.1}")
        } else if n < 10_000.0 {
            format!("{n:.0}")
        } else {
            format!("{:.0}k", n / 1000.0)
        };
        if r.at_least { format!("≥{v}") } else { v }
    }
}

/// One row of the queue list.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub name: String,
    pub depth: Depth,
    pub oldest_age: Option<f64>,
    pub rate_in: Option<Rate>,
    pub rate_out: Option<Rate>,
    /// Mint: idempotency keys added to the processed set per second (requests that settled).
    pub rate_settled: Option<Rate>,
}

/// The samples of one queue: (server ms, main length), oldest first, and its last flow reading.
#[derive(Debug, Default, Clone)]
pub struct History {
    pub samples: VecDeque<(i64, u64)>,
    last: Option<(i64, u64)>,
    /// Mint: (server ms, size of the processed set) at the last reading.
    processed: Option<(i64, u64)>,
}

/// Rates between two flow readings of a main list (see `queue::flow`). `None` on the first
/// reading, or when the server clock did not advance.
pub fn rates(last: Option<(i64, u64)>, flow: &Flow) -> (Option<Rate>, Option<Rate>) {
    let (Some((then_ms, then_len)), Some(pushed)) = (last, flow.pushed) else { return (None, None) };
    let dt = (flow.now_ms - then_ms) as f64 / 1000.0;
    if dt <= 0.0 {
        return (None, None);
    }
    let (n, at_least) = match pushed {
        Pushed::Exactly(n) => (n, false),
        Pushed::AtLeast(n) => (n, true),
    };
    // What left: the pushes minus the growth. Requeues onto the consumer end make it negative.
    let out = (n as f64 + then_len as f64 - flow.len as f64).max(0.0);
    (Some(Rate { per_sec: n as f64 / dt, at_least }), Some(Rate { per_sec: out / dt, at_least }))
}

/// Which list the detail screen shows.
pub const TABS: [ListName; 4] = [ListName::Main, ListName::Processing, ListName::Retry, ListName::Dlq];

/// One message in the detail screen.
#[derive(Debug, Clone)]
pub struct Row {
    /// Position from the consumer end (DLQ: 0 = oldest; retry: rank, soonest due first).
    pub position: u64,
    pub id: String,
    /// Type and retry count, or (DLQ) the error, or (retry) when it is due.
    pub info: String,
    pub age: String,
    /// Exactly as stored.
    pub raw: Vec<u8>,
}

/// The selected queue, read whole enough for the detail screen.
#[derive(Debug, Clone)]
pub struct Detail {
    pub queue: String,
    pub profile: Profile,
    /// By tab: main (next out first), processing (oldest claimed first), retry (soonest due
    /// first), DLQ (oldest first).
    pub lists: [Vec<Row>; 4],
    /// The DLQ grouped by error (envelope) or failure tag (mint), largest first.
    pub groups: Vec<(String, u64)>,
    /// How many DLQ entries the groups count, of how many.
    pub grouped: (u64, u64),
}

/// A change the operator asked for, waiting for y/N.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Replay one dead letter (envelope profile) onto its queue.
    Replay { queue: String, position: u64, raw: Vec<u8>, id: String },
    /// Move one message from processing or retry to the consumer end of main.
    Requeue { queue: String, place: ListName, raw: Vec<u8>, id: String },
}

impl Action {
    pub fn question(&self) -> String {
        match self {
            Action::Replay { queue, position, id, .. } => {
                format!("Replay dead letter {id} (position {position} of {queue}'s DLQ) onto its queue? [y/N]")
            }
            Action::Requeue { queue, place, id, .. } => {
                format!("Requeue message {id} from {} of {queue} to the consumer end of main? [y/N]", place.as_str())
            }
        }
    }
}

/// The link to Redis as the screen says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    Connecting,
    Up,
    /// Why, already scrubbed of secrets.
    Down(String),
}

/// What the main loop must do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    Refresh,
    Interval(Duration),
    /// Read this queue in detail from now on (`None`: back to the list).
    Open(Option<String>),
    Do(Action),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    List,
    Detail(String),
}

pub struct App {
    pub server: String,
    pub interval: Duration,
    pub allow_writes: bool,
    pub pattern: String,
    pub rows: Vec<QueueRow>,
    pub notes: Vec<String>,
    pub history: HashMap<String, History>,
    pub selected: usize,
    pub screen: Screen,
    pub detail: Option<Detail>,
    pub tab: usize,
    pub cursor: usize,
    pub link: Link,
    /// The last reading's server clock (ms).
    pub now_ms: Option<i64>,
    /// A one-line message (an action's outcome, a refusal) until the next key.
    pub flash: Option<String>,
    pub confirm: Option<Action>,
    pub help: bool,
}

impl App {
    pub fn new(server: String, interval: Duration, allow_writes: bool, pattern: String) -> Self {
        Self {
            server,
            interval,
            allow_writes,
            pattern,
            rows: Vec::new(),
            notes: Vec::new(),
            history: HashMap::new(),
            selected: 0,
            screen: Screen::List,
            detail: None,
            tab: 0,
            cursor: 0,
            link: Link::Connecting,
            now_ms: None,
            flash: None,
            confirm: None,
            help: false,
        }
    }

    /// Takes in a refresh: rows, rates, trend samples. The selection stays on the same queue.
    pub fn apply(&mut self, r: Reading) {
        let chosen = self.rows.get(self.selected).map(|q| q.name.clone());
        self.link = Link::Up;
        self.notes = r.notes;
        self.now_ms = r.queues.iter().map(|q| q.flow.now_ms).max().or(self.now_ms);
        let mut rows = Vec::with_capacity(r.queues.len());
        for q in r.queues {
            let h = self.history.entry(q.name.clone()).or_default();
            let (rate_in, rate_out) = rates(h.last, &q.flow);
            h.last = Some((q.flow.now_ms, q.flow.len));
            let processed = q.depth.mint.as_ref().map(|m| (q.depth.now_ms, m.processed));
            let rate_settled = match (h.processed, processed) {
                (Some((t0, n0)), Some((t1, n1))) if t1 > t0 => {
                    Some(Rate { per_sec: n1.saturating_sub(n0) as f64 * 1000.0 / (t1 - t0) as f64, at_least: false })
                }
                _ => None,
            };
            h.processed = processed;
            h.samples.push_back((q.flow.now_ms, q.depth.main));
            while h.samples.front().is_some_and(|(t, _)| *t < q.flow.now_ms - HISTORY_MS) {
                h.samples.pop_front();
            }
            let oldest_age = output::oldest_age(&q.depth);
            rows.push(QueueRow { name: q.name, depth: q.depth, oldest_age, rate_in, rate_out, rate_settled });
        }
        let names: std::collections::HashSet<&str> = rows.iter().map(|q| q.name.as_str()).collect();
        self.history.retain(|k, _| names.contains(k.as_str()));
        self.rows = rows;
        self.selected = chosen.and_then(|c| self.rows.iter().position(|q| q.name == c)).unwrap_or(self.selected);
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    pub fn apply_detail(&mut self, d: Detail) {
        if self.screen == Screen::Detail(d.queue.clone()) {
            self.detail = Some(d);
            self.cursor = self.cursor.min(self.current_list().len().saturating_sub(1));
        }
    }

    /// The rows of the detail screen's current tab.
    pub fn current_list(&self) -> &[Row] {
        self.detail.as_ref().map_or(&[][..], |d| &d.lists[self.tab])
    }

    /// What a key does. Keys are ignored while a question waits, except its answer.
    pub fn key(&mut self, k: KeyEvent) -> Vec<Effect> {
        if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
            return vec![Effect::Quit];
        }
        if let Some(action) = self.confirm.take() {
            if matches!(k.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                self.flash = Some("working…".into());
                return vec![Effect::Do(action)];
            }
            self.flash = Some("not confirmed: nothing changed".into());
            return vec![];
        }
        self.flash = None;
        if self.help {
            self.help = false;
            return if k.code == KeyCode::Char('q') { vec![Effect::Quit] } else { vec![] };
        }
        let detail = matches!(self.screen, Screen::Detail(_));
        match k.code {
            KeyCode::Char('q') => return vec![Effect::Quit],
            KeyCode::Char('?') => self.help = true,
            KeyCode::Char('r') => return vec![Effect::Refresh],
            KeyCode::Char('+') => return self.set_interval(self.interval.saturating_mul(2)),
            KeyCode::Char('-') => return self.set_interval(self.interval / 2),
            KeyCode::Up | KeyCode::Char('k') => self.move_by(-1),
            KeyCode::Down | KeyCode::Char('j') => self.move_by(1),
            KeyCode::PageUp => self.move_by(-10),
            KeyCode::PageDown => self.move_by(10),
            KeyCode::Home | KeyCode::Char('g') => self.move_by(i64::MIN / 2),
            KeyCode::End | KeyCode::Char('G') => self.move_by(i64::MAX / 2),
            KeyCode::Enter if !detail => {
                if let Some(q) = self.rows.get(self.selected) {
                    let name = q.name.clone();
                    self.screen = Screen::Detail(name.clone());
                    self.detail = None;
                    self.tab = 0;
                    self.cursor = 0;
                    return vec![Effect::Open(Some(name))];
                }
            }
            KeyCode::Esc | KeyCode::Backspace | KeyCode::Left | KeyCode::Char('h') if detail => {
                self.screen = Screen::List;
                self.detail = None;
                return vec![Effect::Open(None)];
            }
            KeyCode::Tab | KeyCode::Right | KeyCode::Char('l') if detail => self.switch_tab((self.tab + 1) % TABS.len()),
            KeyCode::BackTab if detail => self.switch_tab((self.tab + TABS.len() - 1) % TABS.len()),
            KeyCode::Char(c @ '1'..='4') if detail => self.switch_tab(c as usize - '1' as usize),
            KeyCode::Char('R') if detail => self.ask(ListName::Dlq),
            KeyCode::Char('u') if detail => self.ask(ListName::Processing),
            _ => {}
        }
        vec![]
    }

    fn set_interval(&mut self, d: Duration) -> Vec<Effect> {
        self.interval = d.clamp(MIN_INTERVAL, MAX_INTERVAL);
        vec![Effect::Interval(self.interval)]
    }

    fn switch_tab(&mut self, tab: usize) {
        self.tab = tab;
        self.cursor = 0;
    }

    fn move_by(&mut self, by: i64) {
        let (at, len) = match self.screen {
            Screen::List => (&mut self.selected, self.rows.len()),
            Screen::Detail(_) => {
                let len = self.detail.as_ref().map_or(0, |d| d.lists[self.tab].len());
                (&mut self.cursor, len)
            }
        };
        let max = len.saturating_sub(1) as i64;
        *at = (*at as i64).saturating_add(by).clamp(0, max) as usize;
    }

    /// `R` (a dead letter) or `u` (processing or retry): the question, or why not.
    fn ask(&mut self, kind: ListName) {
        let place = TABS[self.tab];
        let key = if kind == ListName::Dlq { "R replays" } else { "u requeues" };
        if !self.allow_writes {
            self.flash = Some(format!("read-only: {key} only when top was started with --allow-writes"));
            return;
        }
        let Some(d) = &self.detail else { return };
        let fits =
            if kind == ListName::Dlq { place == ListName::Dlq } else { matches!(place, ListName::Processing | ListName::Retry) };
        if !fits {
            let tabs = if kind == ListName::Dlq { "the dlq list (4)" } else { "the processing (2) or retry (3) list" };
            self.flash = Some(format!("{key} a message of {tabs}: switch with Tab"));
            return;
        }
        let Some(row) = d.lists[self.tab].get(self.cursor) else {
            self.flash = Some(format!("{} is empty: nothing to act on", place.as_str()));
            return;
        };
        if kind == ListName::Dlq && d.profile == Profile::Mint {
            self.flash = Some(format!(
                "mint dead letters are replayed after `dlq inspect` (the runbook's checks): hokusai-queue --queue {} dlq replay --id {}",
                d.queue, row.id
            ));
            return;
        }
        if d.profile == Profile::Opaque {
            self.flash = Some(format!("{} has the opaque profile (no message ids): top moves no message of it", d.queue));
            return;
        }
        let (queue, raw, id) = (d.queue.clone(), row.raw.clone(), row.id.clone());
        self.confirm = Some(match kind {
            ListName::Dlq => Action::Replay { queue, position: row.position, raw, id },
            _ => Action::Requeue { queue, place, raw, id },
        });
    }
}

/// The DLQ grouped: (label, count), largest first, at most `top` groups and "other" for the rest.
pub fn groups(counts: BTreeMap<String, u64>, top: usize) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if v.len() > top {
        let rest: u64 = v[top - 1..].iter().map(|(_, n)| n).sum();
        v.truncate(top - 1);
        v.push(("(other errors)".into(), rest));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(len: u64, now_ms: i64, pushed: Option<Pushed>) -> Flow {
        Flow { len, now_ms, head: None, pushed }
    }

    #[test]
    fn rates_from_the_previous_heads_position() {
        // 10 in the list; 2 s later 30 were pushed above the old head and the list holds 15.
        let (i, o) = rates(Some((1_000, 10)), &flow(15, 3_000, Some(Pushed::Exactly(30))));
        assert_eq!(i, Some(Rate { per_sec: 15.0, at_least: false }));
        assert_eq!(o, Some(Rate { per_sec: 12.5, at_least: false }), "30 in, 10 -> 15: 25 out");
        let (i, o) = rates(Some((0, 100)), &flow(5, 1_000, Some(Pushed::AtLeast(5))));
        assert!(i.unwrap().at_least && o.unwrap().at_least);
        assert_eq!(o.unwrap().per_sec, 100.0);
        assert_eq!(rates(None, &flow(5, 1_000, None)), (None, None), "first reading");
        assert_eq!(rates(Some((1_000, 1)), &flow(5, 1_000, Some(Pushed::Exactly(4)))), (None, None), "no time passed");
        assert_eq!(Rate::text(Some(Rate { per_sec: 0.25, at_least: true })), "≥0.2");
        assert_eq!(Rate::text(Some(Rate { per_sec: 1234.0, at_least: false })), "1234");
    }

    #[test]
    fn mint_settled_rate_from_the_processed_set() {
        use crate::queue::MintDepth;
        let mut app = App::new("s".into(), Duration::from_secs(2), false, "*".into());
        for (now_ms, processed) in [(10_000, 77), (12_000, 97)] {
            let depth = Depth {
                main: 0,
                processing: 0,
                dlq: 0,
                retry: 0,
                retry_due: 0,
                leases: 0,
                oldest: None,
                oldest_processing: None,
                now_ms,
                profile: Profile::Mint,
                mint: Some(MintDepth { processed, ..MintDepth::default() }),
            };
            let flow = Flow { len: 0, now_ms, head: None, pushed: Some(Pushed::Exactly(0)) };
            app.apply(Reading {
                queues: vec![QueueReading { name: "hokusai:mint_requests".into(), depth, flow }],
                notes: vec![],
            });
        }
        assert_eq!(app.rows[0].rate_settled, Some(Rate { per_sec: 10.0, at_least: false }), "20 settled in 2 s");
    }

    #[test]
    fn groups_keep_the_largest() {
        let counts: BTreeMap<String, u64> = [("a", 1), ("b", 5), ("c", 3), ("d", 2)].map(|(k, n)| (k.to_owned(), n)).into();
        assert_eq!(groups(counts.clone(), 10), vec![("b".into(), 5), ("c".into(), 3), ("d".into(), 2), ("a".into(), 1)]);
        assert_eq!(groups(counts, 3), vec![("b".into(), 5), ("c".into(), 3), ("(other errors)".into(), 3)]);
    }

    #[test]
    fn keys_without_writes_never_ask() {
        let mut app = App::new("s".into(), Duration::from_secs(2), false, "*".into());
        assert_eq!(app.key(KeyEvent::from(KeyCode::Char('+'))), vec![Effect::Interval(Duration::from_secs(4))]);
        for _ in 0..20 {
            app.key(KeyEvent::from(KeyCode::Char('-')));
        }
        assert_eq!(app.interval, MIN_INTERVAL);
        app.screen = Screen::Detail("q".into());
        app.tab = 3;
        app.key(KeyEvent::from(KeyCode::Char('R')));
        assert!(app.confirm.is_none());
        assert!(app.flash.as_deref().unwrap().contains("--allow-writes"));
        assert_eq!(app.key(KeyEvent::from(KeyCode::Esc)), vec![Effect::Open(None)]);
        assert_eq!(app.key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)), vec![Effect::Quit]);
    }

    #[test]
    fn a_question_takes_only_y() {
        let mut app = App::new("s".into(), Duration::from_secs(2), true, "*".into());
        app.screen = Screen::Detail("q".into());
        let row = Row { position: 0, id: "m-1".into(), info: String::new(), age: String::new(), raw: b"x".to_vec() };
        app.detail = Some(Detail {
            queue: "q".into(),
            profile: Profile::Envelope,
            lists: [vec![], vec![], vec![], vec![row]],
            groups: vec![],
            grouped: (1, 1),
        });
        app.key(KeyEvent::from(KeyCode::Char('4')));
        app.key(KeyEvent::from(KeyCode::Char('R')));
        assert!(app.confirm.as_ref().unwrap().question().contains("m-1"));
        assert_eq!(app.key(KeyEvent::from(KeyCode::Char('n'))), vec![]);
        assert!(app.confirm.is_none(), "anything but y cancels");
        app.key(KeyEvent::from(KeyCode::Char('R')));
        let e = app.key(KeyEvent::from(KeyCode::Char('y')));
        assert!(matches!(&e[..], [Effect::Do(Action::Replay { id, .. })] if id == "m-1"));
    }
}
