"""The home page and its JSON twin: what this is, how much it holds, where to go next."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

from cop_graph.views import summary

blueprint = Blueprint("home", __name__)


def _store():
    return current_app.extensions["cop_graph_store"]


@blueprint.get("/")
def index():
    return render_template("home.html", **summary(_store()))


@blueprint.get("/api/")
def index_json():
    return jsonify(ok=True, **summary(_store()))
