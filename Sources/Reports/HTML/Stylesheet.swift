/// The report stylesheet, inlined into every `index.html` so a report needs no other file.
///
/// Light and print-friendly: system fonts only (nothing is fetched), a 1 100 px reading column
/// that shrinks with the window, grids that wrap, tables that scroll sideways instead of widening
/// the page, and print rules that keep figures whole and heat-map colours intact.
enum Stylesheet {
    static let css = """
        :root { color-scheme: light; --ink: #222; --muted: #555; --rule: #ddd; --accent: #0072B2; }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; background: #fff; color: var(--ink); line-height: 1.5;
          font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
        main { max-width: 1100px; margin: 0 auto; padding: 1.25rem 1.25rem 3rem; }
        header.report-header { border-bottom: 2px solid var(--ink); margin-bottom: 1rem; padding-bottom: .5rem; }
        h1 { font-size: 1.75rem; line-height: 1.2; margin: .2rem 0 .3rem; }
        h2 { font-size: 1.3rem; margin: 2.2rem 0 .6rem; padding-top: .6rem; border-top: 1px solid var(--rule); }
        h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
        p { margin: .5rem 0; max-width: 75ch; }
        .subtitle { color: var(--muted); margin: 0; }
        dl.metadata { display: flex; flex-wrap: wrap; gap: .2rem 1.5rem; margin: .6rem 0 0; font-size: .88rem; color: var(--muted); }
        dl.metadata div { display: flex; gap: .4rem; }
        dl.metadata dt { font-weight: 600; }
        dl.metadata dd { margin: 0; overflow-wrap: anywhere; }
        nav.toc ol { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; list-style: none; padding: 0; margin: .6rem 0; font-size: .92rem; }
        a { color: var(--accent); }
        figure { margin: 1rem 0; }
        figure.chart { overflow-x: auto; }
        figure.chart svg { display: block; max-width: 100%; height: auto; }
        figcaption { font-size: .86rem; color: var(--muted); margin-top: .3rem; max-width: 75ch; }
        .grid { display: grid; gap: .5rem 1rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--min-column, 280px)), 1fr)); }
        .grid > figure { margin: .3rem 0; }
        .table-scroll { overflow-x: auto; margin: .8rem 0; }
        table { border-collapse: collapse; font-size: .88rem; min-width: 50%; }
        caption { text-align: left; font-weight: 600; padding: 0 0 .35rem; }
        th, td { padding: .28rem .6rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid #999; font-weight: 600; }
        tbody th { font-weight: 500; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tbody tr:nth-child(even) { background: #fafafa; }
        #epoch-metrics td { white-space: nowrap; }
        tr.reference { color: var(--muted); }
        tbody th .source { display: block; font-size: .78em; color: var(--muted); }
        tbody th { min-width: 11em; }
        td .note { display: block; min-width: 16em; font-size: .85em; color: var(--muted); }
        tr.ours { background: #eef5fb !important; }
        .swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px; margin-right: .35em; vertical-align: -.05em; }
        dl.key-figures { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
        dl.key-figures > div { border: 1px solid var(--rule); border-radius: 6px; padding: .5rem .9rem; min-width: 9.5rem; }
        dl.key-figures dt { font-size: .8rem; color: var(--muted); }
        dl.key-figures dd { margin: 0; font-size: 1.45rem; font-weight: 600; font-variant-numeric: tabular-nums; }
        dl.key-figures .note { display: block; font-size: .75rem; font-weight: 400; color: var(--muted); }
        .callout { border-left: 4px solid #E69F00; background: #fff8e6; padding: .45rem .8rem; }
        .callout.warning { border-color: #D55E00; background: #fdeee6; }
        ul.contact-sheet { list-style: none; padding: 0; margin: .6rem 0 1.2rem; display: grid; gap: .8rem .6rem;
          grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--tile, 130px)), 1fr)); }
        ul.contact-sheet li { min-width: 0; }
        ul.contact-sheet .thumbs { display: flex; gap: 4px; }
        ul.contact-sheet img, .missing-image { width: var(--thumb, 120px); max-width: 100%; height: auto; aspect-ratio: 1;
          object-fit: cover; border-radius: 3px; background: #eee; display: block; }
        .missing-image { display: flex; align-items: center; justify-content: center; font-size: .7rem; color: var(--muted);
          padding: .3rem; text-align: center; overflow-wrap: anywhere; border: 1px dashed #bbb; }
        ul.contact-sheet .accent { display: block; height: 4px; width: var(--thumb, 120px); max-width: 100%; margin-top: 3px; border-radius: 2px; }
        ul.contact-sheet .caption { font-size: .78rem; line-height: 1.3; margin-top: .2rem; overflow-wrap: anywhere; }
        ul.contact-sheet .caption span { display: block; }
        ul.contact-sheet .caption span:first-child { font-weight: 600; }
        footer { margin-top: 3rem; font-size: .8rem; color: var(--muted); border-top: 1px solid var(--rule); padding-top: .6rem; }
        @media (max-width: 600px) {
          main { padding: .8rem .7rem 2rem; }
          h1 { font-size: 1.4rem; }
          dl.key-figures dd { font-size: 1.2rem; }
        }
        @media print {
          body { font-size: 10pt; }
          main { max-width: none; padding: 0; }
          nav.toc { display: none; }
          h2 { break-after: avoid; }
          figure, table, ul.contact-sheet li, dl.key-figures > div { break-inside: avoid; }
          .table-scroll, figure.chart { overflow: visible; }
          tbody th, td .note { min-width: 0; }
          figure.chart svg { min-width: 0 !important; }
          table { font-size: 7.5pt; }
          th, td { padding: .12rem .3rem; }
          a { color: inherit; text-decoration: none; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """
}
