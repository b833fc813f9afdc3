// Run by scripts/print_edition.py in each page of the built book, once its widgets are drawn.
// Turns the page's article into a chapter of the print edition and returns it with what it needs
// to be drawn elsewhere: its stylesheets, its inline styles and the glyph definitions its maths uses.
({ prefix, pages, siteUrl }) => {
  const article = document.querySelector("article.bd-article");

  // Widgets as first drawn: a canvas becomes an image of itself, form controls keep their state.
  for (const canvas of article.querySelectorAll("canvas")) {
    const img = document.createElement("img");
    img.src = canvas.toDataURL("image/png");
    img.className = canvas.className;
    img.style.width = `${canvas.getBoundingClientRect().width}px`;
    canvas.replaceWith(img);
  }
  for (const input of article.querySelectorAll("input")) {
    input.setAttribute("value", input.value);
    if (input.checked) input.setAttribute("checked", "");
  }
  for (const option of article.querySelectorAll("option")) {
    if (option.selected) option.setAttribute("selected", "");
  }
  for (const el of article.querySelectorAll("img[src]")) el.setAttribute("src", el.src);

  // Solutions (dropdowns after each exercise) move, opened, to a section at the chapter's end.
  const solutions = [...article.querySelectorAll(".solution")];
  if (solutions.length) {
    const section = document.createElement("section");
    section.className = "print-solutions";
    section.id = "print-solutions";
    section.innerHTML = "<h2>Solutions</h2>";
    for (const solution of solutions) {
      solution.classList.remove("dropdown", "toggle", "toggle-hidden");
      section.append(solution);
    }
    article.append(section);
  }
  for (const el of article.querySelectorAll(".toggle-hidden")) el.classList.remove("toggle-hidden");
  article.querySelectorAll("button, .headerlink, script, template").forEach((el) => el.remove());

  // Ids are unique across the book once prefixed with the chapter; links follow them.
  // (Ids inside SVG are the maths' glyphs, shared by every page: left as they are.)
  for (const el of article.querySelectorAll("[id]")) {
    if (!el.closest("svg")) el.id = `${prefix}--${el.id}`;
  }
  const sections = [];
  for (const a of article.querySelectorAll("a[href]")) {
    const href = a.getAttribute("href");
    if (href.startsWith("#")) {
      a.setAttribute("href", href.length > 1 ? `#${prefix}--${href.slice(1)}` : `#${prefix}`);
      continue;
    }
    if (/^[a-z]+:/i.test(href) || href.startsWith("//")) {
      if (a.textContent.trim() === href || a.textContent.trim() === href.replace(/^https?:\/\//, "")) {
        a.classList.add("print-url-shown");
      }
      continue;
    }
    const [path, fragment] = href.split("#");
    const target = pages[path.split("/").pop()];
    if (target && !path.includes("_sources")) {
      a.setAttribute("href", fragment ? `#${target}--${fragment}` : `#${target}`);
    } else {
      a.setAttribute("href", new URL(href, document.baseURI).href.replace(location.origin + "/", siteUrl));
    }
  }
  for (const h2 of article.querySelectorAll("section > h2")) {
    const section = h2.parentElement;
    if (section.id && !section.closest(".print-solutions")) {
      sections.push({ id: section.id.slice(prefix.length + 2), title: h2.textContent.trim() });
    }
  }
  const h1 = article.querySelector("h1");

  // The maths' glyph definitions live outside the article, in an SVG at the end of the page.
  const defs = [...document.querySelectorAll("body > svg")]
    .filter((svg) => svg.querySelector("defs"))
    .map((svg) => svg.outerHTML)
    .join("");
  return {
    prefix,
    title: h1 ? h1.textContent.trim() : document.title,
    sections,
    article: article.innerHTML,
    defs,
    stylesheets: [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => l.href),
    styles: [...document.querySelectorAll("head style")].map((s) => s.textContent),
  };
}
