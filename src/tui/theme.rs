//! Colours and text styles. Dark by default, light on request, monochrome when `NO_COLOR` is set
//! (then emphasis comes from bold, underline and reverse video only).

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeName {
    Dark,
    Light,
    Mono,
}

/// Every style a screen draws with; screens never pick raw colours themselves.
#[derive(Debug, Clone)]
pub struct Theme {
    pub name: ThemeName,
    pub base: Style,
    pub muted: Style,
    pub accent: Style,
    pub title: Style,
    pub border: Style,
    pub border_focus: Style,
    pub selection: Style,
    pub key_hint: Style,
    /// Headings by level, 1..=6.
    pub headings: [Style; 6],
    pub emphasis: Style,
    pub strong: Style,
    pub strike: Style,
    pub inline_code: Style,
    pub code_block: Style,
    pub quote: Style,
    pub link: Style,
    pub link_selected: Style,
    pub search_match: Style,
    pub fuzzy_match: Style,
    pub table_border: Style,
    pub table_header: Style,
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    pub info: Style,
}

impl Theme {
    pub fn by_name(name: ThemeName) -> Theme {
        match name {
            ThemeName::Dark => Theme::dark(),
            ThemeName::Light => Theme::light(),
            ThemeName::Mono => Theme::mono(),
        }
    }

    pub fn dark() -> Theme {
        let fg = Color::Rgb(220, 223, 228);
        let accent = Color::Rgb(97, 175, 239);
        Theme {
            name: ThemeName::Dark,
            base: Style::new().fg(fg),
            muted: Style::new().fg(Color::Rgb(128, 134, 145)),
            accent: Style::new().fg(accent),
            title: Style::new().fg(accent).add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::Rgb(75, 82, 94)),
            border_focus: Style::new().fg(accent),
            selection: Style::new()
                .bg(Color::Rgb(44, 50, 60))
                .add_modifier(Modifier::BOLD),
            key_hint: Style::new().fg(Color::Rgb(229, 192, 123)),
            headings: [
                Style::new()
                    .fg(Color::Rgb(229, 192, 123))
                    .add_modifier(Modifier::BOLD),
                Style::new().fg(accent).add_modifier(Modifier::BOLD),
                Style::new()
                    .fg(Color::Rgb(198, 120, 221))
                    .add_modifier(Modifier::BOLD),
                Style::new()
                    .fg(Color::Rgb(86, 182, 194))
                    .add_modifier(Modifier::BOLD),
                Style::new().fg(fg).add_modifier(Modifier::BOLD),
                Style::new().fg(fg).add_modifier(Modifier::ITALIC),
            ],
            emphasis: Style::new().add_modifier(Modifier::ITALIC),
            strong: Style::new().add_modifier(Modifier::BOLD),
            strike: Style::new().add_modifier(Modifier::CROSSED_OUT),
            inline_code: Style::new()
                .fg(Color::Rgb(152, 195, 121))
                .bg(Color::Rgb(40, 44, 52)),
            code_block: Style::new()
                .fg(Color::Rgb(200, 204, 212))
                .bg(Color::Rgb(36, 40, 48)),
            quote: Style::new()
                .fg(Color::Rgb(150, 156, 168))
                .add_modifier(Modifier::ITALIC),
            link: Style::new().fg(accent).add_modifier(Modifier::UNDERLINED),
            link_selected: Style::new().fg(Color::Black).bg(accent),
            search_match: Style::new().fg(Color::Black).bg(Color::Rgb(229, 192, 123)),
            fuzzy_match: Style::new()
                .fg(Color::Rgb(229, 192, 123))
                .add_modifier(Modifier::BOLD),
            table_border: Style::new().fg(Color::Rgb(90, 97, 110)),
            table_header: Style::new().fg(accent).add_modifier(Modifier::BOLD),
            ok: Style::new().fg(Color::Rgb(152, 195, 121)),
            warn: Style::new().fg(Color::Rgb(229, 192, 123)),
            error: Style::new().fg(Color::Rgb(224, 108, 117)),
            info: Style::new().fg(Color::Rgb(86, 182, 194)),
        }
    }

    pub fn light() -> Theme {
        let fg = Color::Rgb(56, 58, 66);
        let accent = Color::Rgb(64, 120, 242);
        Theme {
            name: ThemeName::Light,
            base: Style::new().fg(fg),
            muted: Style::new().fg(Color::Rgb(120, 124, 134)),
            accent: Style::new().fg(accent),
            title: Style::new().fg(accent).add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::Rgb(180, 184, 192)),
            border_focus: Style::new().fg(accent),
            selection: Style::new()
                .bg(Color::Rgb(222, 228, 240))
                .add_modifier(Modifier::BOLD),
            key_hint: Style::new().fg(Color::Rgb(152, 104, 1)),
            headings: [
                Style::new()
                    .fg(Color::Rgb(152, 104, 1))
                    .add_modifier(Modifier::BOLD),
                Style::new().fg(accent).add_modifier(Modifier::BOLD),
                Style::new()
                    .fg(Color::Rgb(166, 38, 164))
                    .add_modifier(Modifier::BOLD),
                Style::new()
                    .fg(Color::Rgb(1, 132, 188))
                    .add_modifier(Modifier::BOLD),
                Style::new().fg(fg).add_modifier(Modifier::BOLD),
                Style::new().fg(fg).add_modifier(Modifier::ITALIC),
            ],
            emphasis: Style::new().add_modifier(Modifier::ITALIC),
            strong: Style::new().add_modifier(Modifier::BOLD),
            strike: Style::new().add_modifier(Modifier::CROSSED_OUT),
            inline_code: Style::new()
                .fg(Color::Rgb(80, 161, 79))
                .bg(Color::Rgb(240, 240, 242)),
            code_block: Style::new().fg(fg).bg(Color::Rgb(240, 240, 242)),
            quote: Style::new()
                .fg(Color::Rgb(110, 114, 124))
                .add_modifier(Modifier::ITALIC),
            link: Style::new().fg(accent).add_modifier(Modifier::UNDERLINED),
            link_selected: Style::new().fg(Color::White).bg(accent),
            search_match: Style::new().fg(Color::Black).bg(Color::Rgb(250, 220, 120)),
            fuzzy_match: Style::new()
                .fg(Color::Rgb(193, 132, 1))
                .add_modifier(Modifier::BOLD),
            table_border: Style::new().fg(Color::Rgb(170, 174, 182)),
            table_header: Style::new().fg(accent).add_modifier(Modifier::BOLD),
            ok: Style::new().fg(Color::Rgb(80, 161, 79)),
            warn: Style::new().fg(Color::Rgb(193, 132, 1)),
            error: Style::new().fg(Color::Rgb(228, 86, 73)),
            info: Style::new().fg(Color::Rgb(1, 132, 188)),
        }
    }

    /// No colours at all: structure through modifiers only.
    pub fn mono() -> Theme {
        let plain = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let reverse = Style::new().add_modifier(Modifier::REVERSED);
        let underline = Style::new().add_modifier(Modifier::UNDERLINED);
        Theme {
            name: ThemeName::Mono,
            base: plain,
            muted: Style::new().add_modifier(Modifier::DIM),
            accent: bold,
            title: bold,
            border: plain,
            border_focus: bold,
            selection: reverse,
            key_hint: bold,
            headings: [
                bold.add_modifier(Modifier::UNDERLINED),
                bold,
                bold,
                bold,
                bold,
                Style::new().add_modifier(Modifier::ITALIC),
            ],
            emphasis: Style::new().add_modifier(Modifier::ITALIC),
            strong: bold,
            strike: Style::new().add_modifier(Modifier::CROSSED_OUT),
            inline_code: bold,
            code_block: plain,
            quote: Style::new().add_modifier(Modifier::ITALIC),
            link: underline,
            link_selected: reverse,
            search_match: reverse,
            fuzzy_match: bold.add_modifier(Modifier::UNDERLINED),
            table_border: plain,
            table_header: bold,
            ok: bold,
            warn: bold,
            error: bold.add_modifier(Modifier::UNDERLINED),
            info: plain,
        }
    }

    /// The theme to start with: `NO_COLOR` (any value) wins over the configured name.
    pub fn resolve(configured: Option<ThemeName>, no_color: bool) -> Theme {
        if no_color {
            return Theme::mono();
        }
        Theme::by_name(configured.unwrap_or(ThemeName::Dark))
    }

    pub fn heading(&self, level: u8) -> Style {
        self.headings[usize::from(level.clamp(1, 6)) - 1]
    }
}
