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
        let text = format!("disconnected: {why}; retrying every {}", humantime::format_duration(app.interval));
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
                lines.push(Line::from(format!("processed {}  settlements {}  audit {}", m.processed, m.settlements, m.audit)))
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
