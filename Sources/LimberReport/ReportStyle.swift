/// The report's style sheet: one column on screen, A4 portrait in print, charts that keep
/// their proportions, nothing fetched from anywhere.
enum ReportStyle {
    static let css = """
        :root{color-scheme:light}
        *{box-sizing:border-box}
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1a1a1a;background:#fff;margin:0 auto;max-width:52rem;padding:1.5rem}
        h1{font-size:1.6rem;margin:0 0 .2rem}
        h2{font-size:1.15rem;margin:1.4rem 0 .4rem;border-bottom:1px solid #ccc;padding-bottom:.15rem}
        p{margin:.3rem 0}
        .period{color:#333}
        .figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.4rem;margin:.6rem 0;padding:0}
        .figures div{border:1px solid #ccc;border-radius:4px;padding:.3rem .5rem}
        .figures dt{font-size:.8rem;color:#444}
        .figures dd{margin:0;font-size:1.15rem;font-weight:600}
        .figures dd .unit{font-size:.8rem;font-weight:400;margin-left:.15rem}
        .figures dd small{display:block;font-size:.75rem;font-weight:400;color:#444;line-height:1.3}
        .advice{border-left:4px solid #c0392b;padding:.2rem .8rem;margin:.5rem 0;background:#fdf3f2}
        .advice.none{border-left-color:#2a7f62;background:#f1f8f5}
        .urgent{margin:.4rem 0 .2rem;padding-left:1.2rem}
        .note{color:#444;font-size:.9rem}
        figure{margin:.6rem 0;break-inside:avoid}
        figcaption{font-size:.85rem;color:#333}
        .pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
        svg.chart{width:100%;height:auto;display:block;font-family:inherit}
        .chart .grid{stroke:#d9d9d9;stroke-width:1}
        .chart .axis{stroke:#555;stroke-width:1}
        .chart .tick{font-size:10px;fill:#333}
        .chart .legend{font-size:10px;fill:#1a1a1a}
        .chart .value{font-size:10px;fill:#1a1a1a;text-anchor:middle}
        .chart .segment,.chart .segment rect{stroke:#333;stroke-width:.6}
        .chart .flag{fill:none;stroke:#c0392b;stroke-width:1.6}
        .chart .trend{fill:none;stroke:#1f4e79;stroke-width:2.5;stroke-linejoin:round}
        table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.4rem 0}
        th,td{border-bottom:1px solid #ddd;padding:.15rem .3rem;text-align:right;vertical-align:top}
        th:first-child,td:first-child,.text{text-align:left}
        th.week,td:first-child{white-space:nowrap}
        table.weeks{font-size:.78rem}
        table.weeks th,table.weeks td{padding:.15rem .2rem}
        table.weeks thead th{font-size:.72rem;hyphens:manual}
        thead th{border-bottom:1.5px solid #555;font-weight:600}
        tbody tr:nth-child(even){background:#f6f6f6}
        .empty{border:1px dashed #999;padding:.6rem .8rem;color:#333}
        footer{margin-top:1.5rem;font-size:.8rem;color:#555}
        @page{size:A4 portrait;margin:12mm 12mm 14mm}
        @media print{
          body{font-size:9.5pt;max-width:none;padding:0}
          h1{font-size:15pt}
          h2{font-size:11pt;margin:.8rem 0 .3rem}
          .figures dd{font-size:11pt}
          table{font-size:7.5pt}
          table.weeks{font-size:7.5pt}
          table.weeks th,table.weeks td{padding:0 .2rem}
          table.weeks thead th{font-size:7pt}
          th,td{padding:0 .25rem;line-height:1.3}
          figure{margin:.3rem 0}
          figcaption{font-size:8pt}
          .note,.empty{font-size:8.5pt}
          section{break-inside:auto}
          h2{break-after:avoid}
          tr{break-inside:avoid}
          thead{display:table-header-group}
          #sessions.keep{break-inside:avoid}
          .columns{columns:2;column-gap:6mm}
          .columns table{margin:0}
          .columns th{white-space:normal;vertical-align:bottom}
          .columns td{white-space:nowrap}
          .columns td.steps{white-space:normal}
          .columns .weekday{display:none}
          .columns th,.columns td{padding:0 0 0 .3rem}
          .columns .kind{display:none}
          .advice,.figures div,tbody tr:nth-child(even){-webkit-print-color-adjust:exact;print-color-adjust:exact}
        }
        """
}
