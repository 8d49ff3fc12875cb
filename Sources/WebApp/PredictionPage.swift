/// The single page of `albumgenre serve`: drop or pick a cover, see the genre probabilities as bars
/// and where the model looked (Grad-CAM). Self-contained: no external scripts, fonts or styles.
/// The verdict reads "Looks like <genre>"; errors show the server's JSON error message.
enum PredictionPage {
    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>AlbumGenre: what genre does this cover look like?</title>
        <style>
          :root { --ink: #1d1d1f; --muted: #6e6e73; --accent: #3b5bdb; --bg: #fafafa; }
          * { box-sizing: border-box; }
          body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
          main { max-width: 880px; margin: 0 auto; padding: 24px 16px 48px; }
          h1 { font-size: 1.6rem; margin: 0 0 4px; }
          p.lead { color: var(--muted); margin: 0 0 20px; }
          /* A label is inline: as a block its padding takes room instead of overlapping the lines around it. */
          #drop { display: block; border: 2px dashed #b8b8c0; border-radius: 12px; padding: 28px; margin: 0 0 12px; text-align: center; background: #fff; cursor: pointer; }
          #drop.over { border-color: var(--accent); background: #eef2ff; }
          #result { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 20px; margin-top: 24px; }
          /* `display: grid` would otherwise override the hidden attribute (empty images before any upload). */
          [hidden] { display: none !important; }
          figure { margin: 0; }
          figure img { width: 100%; border-radius: 8px; display: block; background: #ddd; }
          figcaption { color: var(--muted); font-size: .9rem; margin-top: 4px; }
          .bar { display: grid; grid-template-columns: 90px 1fr 56px; align-items: center; gap: 8px; margin: 6px 0; }
          .track { background: #e6e6eb; border-radius: 4px; height: 18px; overflow: hidden; }
          .fill { background: var(--accent); height: 100%; }
          .top .fill { background: #e8590c; }
          #verdict { font-size: 1.3rem; font-weight: 600; margin: 0 0 8px; }
          #error { color: #c92a2a; }
          #model { color: var(--muted); font-size: .85rem; margin-top: 28px; }
          @media print { #drop { display: none; } }
        </style>
        </head>
        <body>
        <main>
          <h1>AlbumGenre</h1>
          <p class="lead">Drop an album cover to see which genre it looks like, and where the model looked.</p>
          <label id="drop" for="file">
            <strong>Drop a cover here</strong> or click to choose a JPEG or PNG file
            <input id="file" type="file" accept="image/jpeg,image/png" hidden>
          </label>
          <p class="lead"><a id="example" href="#example">No cover at hand? Try an example cover</a> (synthetic art).</p>
          <p id="error" role="alert"></p>
          <section id="result" hidden>
            <div>
              <p id="verdict"></p>
              <div id="bars"></div>
            </div>
            <figure><img id="cover" alt="the uploaded cover"><figcaption>Your cover</figcaption></figure>
            <figure><img id="cam" alt="Grad-CAM heat map over the cover"><figcaption>Where the model looked (Grad-CAM)</figcaption></figure>
          </section>
          <p id="model"></p>
        </main>
        <script>
        "use strict";
        const drop = document.getElementById("drop");
        const input = document.getElementById("file");
        const errorBox = document.getElementById("error");
        function percent(p) { return (100 * p).toFixed(1) + " %"; }
        function show(result) {
          document.getElementById("verdict").textContent = "Looks like " + result.genre;
          const bars = document.getElementById("bars");
          bars.textContent = "";
          result.scores.forEach(function (s, i) {
            const row = document.createElement("div");
            row.className = "bar" + (i === 0 ? " top" : "");
            const name = document.createElement("span"); name.textContent = s.genre;
            const track = document.createElement("div"); track.className = "track";
            const fill = document.createElement("div"); fill.className = "fill"; fill.style.width = percent(s.probability).replace(" ", "");
            track.appendChild(fill);
            const value = document.createElement("span"); value.textContent = percent(s.probability);
            row.append(name, track, value);
            bars.appendChild(row);
          });
          if (result.gradcam) { document.getElementById("cam").src = result.gradcam; }
          document.getElementById("result").hidden = false;
        }
        async function upload(file) {
          errorBox.textContent = "";
          document.getElementById("cover").src = URL.createObjectURL(file);
          try {
            const response = await fetch("/api/predict?gradcam=1", { method: "POST", headers: { "Content-Type": file.type || "application/octet-stream" }, body: file });
            const body = await response.json();
            if (!response.ok) { errorBox.textContent = body.error ? body.error.message : "the server refused the file"; return; }
            show(body);
          } catch (e) {
            errorBox.textContent = "could not reach the server: " + e;
          }
        }
        // The example cover goes through upload() exactly like a picked file; "/#example" runs it on
        // load, so a link (or a headless browser) can show a prediction without a file dialog.
        async function tryExample() {
          try {
            const response = await fetch("/example.jpg");
            if (!response.ok) { throw new Error("HTTP " + response.status); }
            const blob = await response.blob();
            await upload(new File([blob], "example.jpg", { type: blob.type || "image/jpeg" }));
          } catch (e) {
            errorBox.textContent = "could not load the example cover: " + e;
          }
        }
        document.getElementById("example").addEventListener("click", function (e) { e.preventDefault(); tryExample(); });
        if (location.hash === "#example") { tryExample(); }
        input.addEventListener("change", function () { if (input.files.length) { upload(input.files[0]); } });
        drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
        drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
        drop.addEventListener("drop", function (e) { e.preventDefault(); drop.classList.remove("over"); if (e.dataTransfer.files.length) { upload(e.dataTransfer.files[0]); } });
        fetch("/api/model").then(function (r) { return r.json(); }).then(function (m) {
          var figure;
          if (m.members) {
            var f1 = m.members.map(function (x) { return x.validationMacroF1; });
            figure = "ensemble of " + m.members.length + (m.trainedOnValidation ? " final fits on train + validation" : " runs")
              + "; members' validated macro-F1 " + Math.min.apply(null, f1).toFixed(2) + "–" + Math.max.apply(null, f1).toFixed(2)
              + (m.mirrorsViews ? "; each cover also seen mirrored" : "");
          } else {
            figure = (m.trainedOnValidation ? "final fit on train + validation; validated macro-F1 " : "validation macro-F1 ") + m.validationMacroF1.toFixed(2);
          }
          if (m.temperature) { figure += "; probabilities calibrated on validation (T = " + m.temperature.toFixed(2) + ")"; }
          document.getElementById("model").textContent = "Model: " + m.model + " on " + m.genres.join(", ") + " (" + figure + ")";
        }).catch(function () {});
        </script>
        </body>
        </html>
        """
}
