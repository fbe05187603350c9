"""The chapters executed side by side, one per core, before Sphinx reads them one after the other.

Jupyter Book 1 reads the pages one at a time, and myst-nb executes each chapter whose outputs the execution
cache (`execute_notebooks: cache`) lacks as its page is read: a cold build waits for eight chapters in a row.
Just before the pages are read (`env-before-read-docs`), this extension finds the chapters the build will read
and the cache lacks, reads each exactly as myst-nb does, executes them in parallel (as many at once as this
process may use cores) with jupyter-cache's own executor, and stores each result in the cache, where myst-nb
then finds it. Nothing else changes: a chapter whose execution fails here is left out of the cache, so myst-nb
executes it again as its page is read and reports the error as it always does (`-W` fails the build).

The cache knows a chapter only by its own code, but the chapters draw their figures from the library: after a
change to any file of the packages `library_packages` names (the course's `trainfaster` and `explorables`),
the cache is emptied and every page is read and executed again, so the book never shows a stale figure.
"""

import hashlib
import os
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath

from sphinx.util import logging

LOGGER = logging.getLogger(__name__)


def _execute(job):
    """Run in a worker process: `(the executed notebook, seconds, error text or None)`."""
    from jupyter_cache.executors.utils import single_nb_execution

    notebook, cwd, timeout, allow_errors = job
    result = single_nb_execution(notebook, cwd=cwd, timeout=timeout, allow_errors=allow_errors)
    return notebook, result.time, (result.exc_string or repr(result.err)) if result.err else None


def _stale_chapters(env, docnames, cache):
    """`[(path, notebook, read format)]` of the notebooks among `docnames` that myst-nb would execute."""
    from myst_nb.core.read import create_nb_reader

    config, stale = env.mystnb_config, []
    for docname in docnames:
        path = Path(env.doc2path(docname))
        if any(PurePosixPath(path.as_posix()).match(p) for p in config.execution_excludepatterns or ()):
            continue
        text = path.read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), env.myst_config, config, text)
        if reader is None:
            continue  # a plain Markdown page
        notebook = reader.read(text)
        mode = dict(notebook.metadata.get(config.metadata_key, {})).get("execution_mode", config.execution_mode)
        if mode != "cache" or not any(cell.cell_type == "code" for cell in notebook.cells):
            continue  # a page that asks for its own mode (e.g. `force`) is executed by myst-nb as it asks
        try:
            cache.match_cache_notebook(notebook)
            continue  # already in the cache
        except KeyError:
            stale.append((path, notebook, reader.read_fmt))
    return stale


def library_digest(srcdir, packages):
    """A digest of every file of the library `packages` (folders under `srcdir`), caches left out."""
    digest = hashlib.sha256()
    for package in packages:
        for path in sorted((Path(srcdir) / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(srcdir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _after_library_change(app, env, docnames, cache):
    """Empty the cache and read every page again when the library changed since the cache was filled."""
    stamp = Path(app.doctreedir) / "library.sha256"
    digest = library_digest(app.srcdir, app.config.library_packages)
    if stamp.is_file() and stamp.read_text() == digest:
        return
    if cache.list_cache_records():
        LOGGER.info("the library changed since the chapters were executed: every chapter runs again")
        cache.clear_cache()
    docnames.extend(sorted(set(env.found_docs) - set(docnames)))
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


def execute_in_parallel(app, env, docnames):
    """Fill the execution cache with the stale chapters of this build, several at once."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    config = env.mystnb_config
    if config.execution_mode != "cache":
        return
    cache = get_cache(config.execution_cache_path or ".jupyter_cache")
    _after_library_change(app, env, docnames, cache)
    stale = _stale_chapters(env, docnames, cache)
    workers = min(len(stale), len(os.sched_getaffinity(0)))
    if workers < 2:
        return  # one chapter, or one core: myst-nb's own execution is as fast
    jobs = [(notebook, str(path.parent), config.execution_timeout, config.execution_allow_errors)
            for path, notebook, _ in stale]
    LOGGER.info(f"executing {len(stale)} chapters, {workers} at a time")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for (path, _, read_fmt), (executed, seconds, error) in zip(stale, pool.map(_execute, jobs)):
            if error:  # myst-nb executes it again as the page is read, and reports the error
                last = re.sub(r"\x1b\[[0-9;]*m", "", error).strip().splitlines()[-1]  # no terminal colours
                LOGGER.info(f"{path.name}: not cached ({last[:200]})")
                continue
            record = cache.add_nb_to_project(str(path), read_data=read_fmt) if read_fmt else \
                cache.add_nb_to_project(str(path))
            cache.cache_notebook_bundle(CacheBundleIn(executed, record.uri, data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)


def setup(app):
    app.add_config_value("library_packages", ["trainfaster", "explorables"], "env")
    app.connect("env-before-read-docs", execute_in_parallel)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
