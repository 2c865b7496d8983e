//! `top`'s drawing: the queue list, the detail of one queue, the question and the help, from
//! the state alone. Colour only marks what words already say (NO_COLOR: none at all).

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row as TableRow, Sparkline, Table, Tabs, Wrap};

use super::model::{App, Link, QueueRow, Rate, Screen, TABS};
use crate::output::human_age;
use crate::queue::profile::Profile;

/// Styles: with colour, or (NO_COLOR) bold and reverse video only.
#[derive(Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn header(self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if self.color { s.fg(Color::Cyan) } else { s }
    }
    fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    fn alarm(self) -> Style {
        if self.color {
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }
    fn down(self) -> Style {
        if self.color {
            Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }
    fn dim(self) -> Style {
        if self.color { Style::new().fg(Color::DarkGray) } else { Style::new() }
    }
    fn trend(self) -> Style {
        if self.color { Style::new().fg(Color::Green) } else { Style::new() }
    }
}

pub fn draw(f: &mut Frame, app: &App, theme: Theme) {
    let [title, body, status, keys] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(1), Constraint::Length(1)])
            .areas(f.area());
    f.render_widget(Paragraph::new(title_line(app, theme)), title);
    match &app.screen {
        Screen::List => queue_list(f, app, theme, body),
        Screen::Detail(name) => detail(f, app, theme, body, name),
    }
    f.render_widget(status_line(app, theme), status);
    let hints = match app.screen {
        Screen::List => "↑↓/jk select  Enter open  r refresh  +/- interval  ? help  q quit",
        Screen::Detail(_) if app.allow_writes => "Tab/1-4 list  ↑↓ select  R replay  u requeue  Esc back  ? help  q quit",
        Screen::Detail(_) => "Tab/1-4 list  ↑↓/jk select  Esc back  r refresh  +/- interval  ? help  q quit",
    };
    f.render_widget(Paragraph::new(Span::styled(hints, theme.dim())), keys);
    if let Some(a) = &app.confirm {
        popup(f, theme, "confirm", &a.question(), 70, 5);
    } else if app.help {
        popup(f, theme, "help (any key closes)", HELP, 76, 18);
    }
}

const HELP: &str = "↑/↓ or j/k  select (PgUp/PgDn, g/G: jump)\n\
Enter  open the selected queue: its lists, next messages, DLQ by error\n\
Esc, Backspace  back to the queue list\n\
Tab, 1-4  main, processing, retry, dlq (in a queue)\n\
r  refresh now      + / -  refresh slower / faster\n\
R  replay the selected dead letter (with --allow-writes; asks y/N)\n\
u  requeue the selected processing or retry message (with --allow-writes)\n\
q, Ctrl-C  quit\n\n\
in/s: elements pushed above the main list's previous head, per second;\n\
out/s: pushed minus growth (consumed, deleted or moved). ≥: a lower bound\n\
(the previous head was taken). trend: main depth over the last 10 minutes.";

fn title_line(app: &App, theme: Theme) -> Line<'static> {
    let at = app
        .now_ms
        .and_then(|ms| time::OffsetDateTime::from_unix_timestamp(ms / 1000).ok())
        .map(|t| format!("{:02}:{:02}:{:02}Z", t.hour(), t.minute(), t.second()))
        .unwrap_or_else(|| "--:--:--".into());
    let mode = if app.allow_writes { "writes allowed" } else { "read-only" };
    Line::from(vec![
        Span::styled("hokusai-queue top", theme.header()),
        Span::raw(format!("  {}  every {}  {at}  {mode}", app.server, humantime::format_duration(app.interval))),
    ])
}

fn status_line(app: &App, theme: Theme) -> Paragraph<'static> {
    if let Link::Down(why) = &app.link {
        let text = format!("disconnected: retrying every {}: {why}", humantime::format_duration(app.interval));
        return Paragraph::new(Span::styled(text, theme.down()));
    }
    if let Some(flash) = &app.flash {
        return Paragraph::new(Span::styled(flash.clone(), theme.header()));
    }
    if let Some(note) = app.notes.first() {
        return Paragraph::new(Span::styled(note.clone(), theme.alarm()));
    }
    let text = match app.link {
        Link::Connecting => format!("connecting to {}…", app.server),
        _ => format!("{} queue{} matching {:?}", app.rows.len(), if app.rows.len() == 1 { "" } else { "s" }, app.pattern),
    };
    Paragraph::new(text)
}

/// A depth series as block characters, scaled to its own maximum (a flat line when all zero).
pub fn spark(samples: &[u64], width: usize) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let tail = &samples[samples.len().saturating_sub(width)..];
    let max = tail.iter().copied().max().unwrap_or(0);
    tail.iter().map(|&v| if max == 0 { BARS[0] } else { BARS[((v as f64 / max as f64) * 7.0).round() as usize] }).collect()
}

fn right(s: String) -> Cell<'static> {
    Cell::from(Line::from(s).alignment(Alignment::Right))
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max || max == 0 {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

fn queue_list(f: &mut Frame, app: &App, theme: Theme, area: Rect) {
    if app.rows.is_empty() {
        let text = match app.link {
            Link::Up => format!("no queue matching {:?} on {}", app.pattern, app.server),
            _ => String::new(),
        };
        f.render_widget(Paragraph::new(text), area);
        return;
    }
    let wide = area.width >= 110;
    let (num, trend) = if wide { (9, (area.width as usize / 4).min(60)) } else { (6, 6) };
    let mut widths = vec![Constraint::Fill(1)];
    if wide {
        widths.push(Constraint::Length(8));
    }
    widths.extend([num, num - 1, num, num - 1, num, num, num].map(|w| Constraint::Length(w as u16)));
    widths.push(Constraint::Length(trend as u16));
    let fixed: usize = (if wide { 9 } else { 0 }) + (7 * num - 2 + 9) + trend;
    let name_width = (area.width as usize).saturating_sub(fixed).max(8);
    let mut header = vec!["queue"];
    if wide {
        header.push("profile");
    }
    header.extend(["main", "proc", "retry", "dlq", "in/s", "out/s", "oldest", "trend"]);
    let header = TableRow::new(
        header
            .into_iter()
            .enumerate()
            .map(|(i, h)| if i == 0 || h == "profile" || h == "trend" { Cell::from(h) } else { right(h.to_owned()) }),
    )
    .style(theme.header());
    let rows = app.rows.iter().enumerate().map(|(i, q)| {
        let samples: Vec<u64> = app.history.get(&q.name).map_or_else(Vec::new, |h| h.samples.iter().map(|(_, n)| *n).collect());
        let mut cells = vec![Cell::from(shorten(&q.name, name_width))];
        if wide {
            cells.push(Cell::from(q.depth.profile.as_str()));
        }
        cells.extend(numbers(q, wide).into_iter().map(right));
        cells.push(Cell::from(Span::styled(spark(&samples, trend), theme.trend())));
        let mut row = TableRow::new(cells);
        if q.depth.dlq > 0 {
            row = row.style(theme.alarm());
        }
        if i == app.selected { row.style(theme.selected()) } else { row }
    });
    let table = Table::new(rows, widths).header(header).column_spacing(1);
    let mut state = ratatui::widgets::TableState::default().with_selected(Some(app.selected));
    f.render_stateful_widget(table, area, &mut state);
}

/// main, processing, retry, dlq, in/s, out/s, oldest.
fn numbers(q: &QueueRow, wide: bool) -> [String; 7] {
    let d = &q.depth;
    let due = d.mint.as_ref().map_or(d.retry_due, |m| m.retry_due);
    let retry = if wide && due > 0 { format!("{} ({due}!)", d.retry) } else { d.retry.to_string() };
    [
        d.main.to_string(),
        d.processing.to_string(),
        retry,
        d.dlq.to_string(),
        Rate::text(q.rate_in),
        Rate::text(q.rate_out),
        human_age(q.oldest_age),
    ]
}

fn detail(f: &mut Frame, app: &App, theme: Theme, area: Rect, name: &str) {
    let [summary, tabs, body] = Layout::vertical([Constraint::Length(7), Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let [lists, trend] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(summary);
    let row = app.rows.iter().find(|q| q.name == name);
    let mut lines = Vec::new();
    if let Some(q) = row {
        let d = &q.depth;
        lines.push(Line::from(format!("main {}   in {}/s   out {}/s", d.main, Rate::text(q.rate_in), Rate::text(q.rate_out))));
        lines.push(Line::from(format!("processing {}   leases {}", d.processing, d.leases)));
        let due = d.mint.as_ref().map_or(d.retry_due, |m| m.retry_due);
        let dlq = Span::styled(format!("dlq {}", d.dlq), if d.dlq > 0 { theme.alarm() } else { Style::new() });
        lines.push(Line::from(vec![Span::raw(format!("retry {} ({due} due)   ", d.retry)), dlq]));
        lines.push(Line::from(format!("oldest in main {}", human_age(q.oldest_age))));
        match &d.mint {
            Some(m) => {
                let settled = Rate::text(q.rate_settled);
                lines.push(Line::from(format!(
                    "processed {} ({settled}/s)  settlements {}  audit {}",
                    m.processed, m.settlements, m.audit
                )))
            }
            None => lines.push(Line::from(format!("profile {}", d.profile.as_str()))),
        }
    } else {
        lines.push(Line::from("no longer on the server (or not read yet)"));
    }
    let title = format!(" {} ", shorten(name, lists.width.saturating_sub(4) as usize));
    f.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::ALL).title(Span::styled(title, theme.header()))),
        lists,
    );
    let samples: Vec<u64> = app.history.get(name).map_or_else(Vec::new, |h| h.samples.iter().map(|(_, n)| *n).collect());
    let inner = trend.width.saturating_sub(2) as usize;
    let shown = &samples[samples.len().saturating_sub(inner)..];
    let max = shown.iter().copied().max().unwrap_or(0);
    let label = format!(" main depth, last {} (max {max}) ", span_of(app, name));
    f.render_widget(
        Sparkline::default()
            .data(shown.to_vec())
            .max(max.max(1))
            .style(theme.trend())
            .block(Block::new().borders(Borders::ALL).title(label)),
        trend,
    );
    let detail = app.detail.as_ref();
    let titles: Vec<Line> = TABS
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let n = row.map(|q| match i {
                0 => q.depth.main,
                1 => q.depth.processing,
                2 => q.depth.retry,
                _ => q.depth.dlq,
            });
            Line::from(format!("{} {} ({})", i + 1, t.as_str(), n.map_or("-".into(), |n| n.to_string())))
        })
        .collect();
    f.render_widget(Tabs::new(titles).select(app.tab).highlight_style(theme.selected()).divider("│"), tabs);
    let Some(d) = detail else {
        f.render_widget(Paragraph::new("reading…"), body);
        return;
    };
    let mut body = body;
    if TABS[app.tab] == crate::queue::keys::ListName::Dlq && !d.groups.is_empty() {
        let what = if d.profile == Profile::Mint { "failure tag" } else { "error" };
        let rows = (d.groups.len() as u16 + 2).min(body.height.saturating_sub(4)).max(3);
        let [groups, rest] = Layout::vertical([Constraint::Length(rows), Constraint::Min(2)]).areas(body);
        body = rest;
        let (counted, total) = d.grouped;
        let of = if counted < total { format!(" (oldest {counted} of {total})") } else { String::new() };
        let lines: Vec<Line> = d.groups.iter().map(|(label, n)| Line::from(format!("{n:>6}  {label}"))).collect();
        let block = Block::new().borders(Borders::ALL).title(format!(" dlq by {what}{of} "));
        f.render_widget(Paragraph::new(lines).block(block), groups);
    }
    let list = &d.lists[app.tab];
    if list.is_empty() {
        f.render_widget(Paragraph::new(format!("{} is empty", TABS[app.tab].as_str())), body);
        return;
    }
    let info = if TABS[app.tab] == crate::queue::keys::ListName::Dlq { "error" } else { "what" };
    let header =
        TableRow::new(vec![right("pos".into()), Cell::from("id"), Cell::from(info), right("age".into())]).style(theme.header());
    let id_width = list.iter().map(|r| r.id.chars().count()).max().unwrap_or(2).clamp(2, 36) as u16;
    let rows = list.iter().enumerate().map(|(i, r)| {
        let row = TableRow::new(vec![
            right(r.position.to_string()),
            Cell::from(r.id.clone()),
            Cell::from(r.info.clone()),
            right(r.age.clone()),
        ]);
        if i == app.cursor { row.style(theme.selected()) } else { row }
    });
    let widths = [Constraint::Length(5), Constraint::Length(id_width), Constraint::Fill(1), Constraint::Length(7)];
    let mut state = ratatui::widgets::TableState::default().with_selected(Some(app.cursor));
    f.render_stateful_widget(Table::new(rows, widths).header(header).column_spacing(1), body, &mut state);
}

/// How far back the trend of `name` reaches, said for people.
fn span_of(app: &App, name: &str) -> String {
    let secs =
        app.history.get(name).and_then(|h| Some((h.samples.back()?.0 - h.samples.front()?.0) as f64 / 1000.0)).unwrap_or(0.0);
    human_age(Some(secs))
}

fn popup(f: &mut Frame, theme: Theme, title: &str, text: &str, width: u16, height: u16) {
    let area = f.area();
    let (w, h) = (width.min(area.width), height.min(area.height));
    let r = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    f.render_widget(Clear, r);
    let block = Block::new().borders(Borders::ALL).title(Span::styled(format!(" {title} "), theme.header()));
    f.render_widget(Paragraph::new(text.to_owned()).wrap(Wrap { trim: false }).block(block), r);
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;

    use super::*;
    use crate::commands::top::model::{Detail, QueueReading, Reading, Row};
    use crate::queue::flow::{Flow, Pushed};
    use crate::queue::{Depth, MintDepth};
    use ratatui::crossterm::event::{KeyCode, KeyEvent};

    fn depth(main: u64, dlq: u64, profile: Profile) -> Depth {
        Depth {
            main,
            processing: 2,
            dlq,
            retry: 4,
            retry_due: 1,
            leases: 2,
            oldest: None,
            oldest_processing: None,
            now_ms: 0,
            profile,
            mint: (profile == Profile::Mint).then(|| MintDepth { processed: 77, settlements: 5, ..MintDepth::default() }),
        }
    }

    /// Two readings 2 s apart: the rates and a trend exist.
    fn model(allow_writes: bool) -> App {
        let mut app = App::new("redis://cache.example:6379/0".into(), Duration::from_secs(2), allow_writes, "*".into());
        for (i, (main, pushed)) in [(10, None), (25, Some(Pushed::Exactly(20)))].into_iter().enumerate() {
            let now_ms = 1_780_000_000_000 + i as i64 * 2000;
            let flow = |len| Flow { len, now_ms, head: None, pushed };
            app.apply(Reading {
                queues: vec![
                    QueueReading {
                        name: "hokusai:model_ready_queue".into(),
                        depth: depth(main, 3, Profile::Envelope),
                        flow: flow(main),
                    },
                    QueueReading { name: "hokusai:mint_requests".into(), depth: depth(1, 0, Profile::Mint), flow: flow(1) },
                ],
                notes: vec![],
            });
        }
        app
    }

    fn open(app: &mut App) {
        app.key(KeyEvent::from(KeyCode::Enter));
        let row = |id: &str, info: &str| Row {
            position: 0,
            id: id.into(),
            info: info.into(),
            age: "5m 3s".into(),
            raw: id.as_bytes().to_vec(),
        };
        app.apply_detail(Detail {
            queue: "hokusai:model_ready_queue".into(),
            profile: Profile::Envelope,
            lists: [
                vec![row("m-next", "model_ready_to_deploy retry 0")],
                vec![],
                vec![],
                vec![row("m-dead", "boom: model not found")],
            ],
            groups: vec![("boom: model not found".into(), 3)],
            grouped: (3, 3),
        });
    }

    fn render(app: &App, w: u16, h: u16, color: bool) -> Buffer {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| draw(f, app, Theme { color })).unwrap();
        t.backend().buffer().clone()
    }

    fn text(b: &Buffer) -> Vec<String> {
        (0..b.area.height).map(|y| (0..b.area.width).map(|x| b[(x, y)].symbol()).collect::<String>()).collect()
    }

    fn has(lines: &[String], what: &str) -> bool {
        lines.iter().any(|l| l.contains(what))
    }

    #[test]
    fn the_queue_list_fits_80x24_and_grows_at_200x60() {
        let app = model(false);
        let small = text(&render(&app, 80, 24, true));
        assert_eq!(small.len(), 24);
        assert!(small[0].starts_with("hokusai-queue top  redis://cache.example:6379/0  every 2s"), "{small:#?}");
        assert!(small[0].contains("read-only"), "{small:#?}");
        let header = &small[1];
        for col in ["queue", "main", "proc", "retry", "dlq", "in/s", "out/s", "oldest", "trend"] {
            assert!(header.contains(col), "{col} in {header:?}");
        }
        // Whole names at 80 columns; 20 pushed in 2 s, the list grew by 15: 10/s in, 2.5/s out.
        let row = small.iter().find(|l| l.starts_with("hokusai:model_ready_queue")).expect("the envelope queue's row");
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(&cells[1..8], ["25", "2", "4", "3", "10", "2.5", "-"], "{row:?}");
        assert!(row.trim_end().ends_with(" ▄█"), "a trend from 10 to 25: {row:?}");
        assert!(has(&small, "hokusai:mint_requests"));
        assert!(small[23].contains("q quit"), "{small:#?}");

        let big = text(&render(&app, 200, 60, true));
        assert!(big[1].contains("profile"), "a profile column when wide: {:?}", big[1]);
        let row = big.iter().find(|l| l.starts_with("hokusai:model_ready_queue")).unwrap();
        assert!(row.contains("envelope") && row.contains("4 (1!)"), "retry with what is due: {row:?}");
        assert!(big[59].contains("q quit") && big[58].contains("2 queues"), "the bottom lines move to the bottom");
    }

    #[test]
    fn a_queue_opened_shows_its_lists_messages_and_dlq_groups() {
        let mut app = model(true);
        open(&mut app);
        for (w, h) in [(80, 24), (200, 60)] {
            let lines = text(&render(&app, w, h, true));
            assert!(has(&lines, "hokusai:model_ready_queue"), "{lines:#?}");
            assert!(has(&lines, "main 25   in 10/s   out 2.5/s"), "{lines:#?}");
            assert!(has(&lines, "processing 2   leases 2") && has(&lines, "retry 4 (1 due)   dlq 3"), "{lines:#?}");
            assert!(has(&lines, "1 main (25)") && has(&lines, "4 dlq (3)"), "{lines:#?}");
            assert!(has(&lines, "m-next") && has(&lines, "model_ready_to_deploy retry 0"), "{lines:#?}");
            assert!(has(&lines, "main depth, last 2s (max 25)"), "{lines:#?}");
            assert!(lines[(h - 1) as usize].contains("R replay"), "{lines:#?}");
        }
        app.key(KeyEvent::from(KeyCode::Char('4')));
        let lines = text(&render(&app, 80, 24, true));
        assert!(has(&lines, "dlq by error") && has(&lines, "     3  boom: model not found"), "{lines:#?}");
        assert!(has(&lines, "m-dead"), "{lines:#?}");
        app.key(KeyEvent::from(KeyCode::Char('R')));
        let lines = text(&render(&app, 80, 24, true));
        assert!(has(&lines, " confirm ") && has(&lines, "Replay dead letter m-dead"), "a y/N question: {lines:#?}");
        assert!(has(&lines, "[y/N]"), "{lines:#?}");
    }

    #[test]
    fn disconnected_help_and_empty_screens() {
        let mut app = model(false);
        app.link = Link::Down("cannot reach Redis at 127.0.0.1:6379 while reading: Connection refused".into());
        let lines = text(&render(&app, 80, 24, true));
        assert!(lines[22].starts_with("disconnected: retrying every 2s: cannot reach Redis"), "{lines:#?}");
        assert!(has(&lines, "hokusai:model_ready_queue"), "the last reading stays on screen");
        app.key(KeyEvent::from(KeyCode::Char('?')));
        let lines = text(&render(&app, 80, 24, true));
        assert!(has(&lines, "help (any key closes)") && has(&lines, "out/s: pushed minus growth"), "{lines:#?}");
        let mut empty = App::new("s".into(), Duration::from_secs(1), false, "jobs:*".into());
        empty.apply(Reading { queues: vec![], notes: vec![] });
        assert!(has(&text(&render(&empty, 80, 24, true)), "no queue matching \"jobs:*\" on s"));
        // Tiny terminals draw what fits and do not panic.
        render(&model(false), 20, 5, true);
    }

    #[test]
    fn no_color_draws_without_colour() {
        let mut app = model(true);
        app.link = Link::Down("gone".into());
        let colours = |b: &Buffer| b.content().iter().filter(|c| c.fg != Color::Reset || c.bg != Color::Reset).count();
        assert!(colours(&render(&app, 80, 24, true)) > 0, "colour by default");
        assert_eq!(colours(&render(&app, 80, 24, false)), 0, "NO_COLOR: none");
        open(&mut app);
        app.key(KeyEvent::from(KeyCode::Char('4')));
        assert_eq!(colours(&render(&app, 200, 60, false)), 0, "NO_COLOR: none in the detail either");
        let selected = render(&app, 80, 24, false);
        assert!(selected.content().iter().any(|c| c.modifier.contains(Modifier::REVERSED)), "the selection in reverse video");
    }

    #[test]
    fn sparkline_scales_to_its_maximum() {
        assert_eq!(spark(&[0, 0, 0], 8), "▁▁▁");
        assert_eq!(spark(&[1, 2, 3, 4, 5, 6, 7, 8, 9], 4), "▆▆▇█", "the last 4, scaled to 9");
        assert_eq!(spark(&[], 4), "");
    }
}
