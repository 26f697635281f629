"""Words are stemmed right when several requests stem at once (a snowball stemmer keeps its
work in the instance: shared without a lock, threads broke each other's words)."""

from __future__ import annotations

import threading

from cop_graph.pages import matching


def test_threads_stemming_at_once_each_get_their_words_stemmed():
    words = [f"communities{n}walking" for n in range(8000)]
    stemmed, failures = {}, []

    def run(part):
        try:
            for word in part:
                stemmed[word] = matching.stem.__wrapped__(word)  # past the cache
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=run, args=(words[n::8],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert all(stemmed[word].endswith("walk") for word in words)
