"""The UMAP settings of the clustering spaces and of the map."""

import numpy as np

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import reduce


def test_clustering_spaces_take_fewer_epochs_and_the_map_umaps_default():
    settings = FitSettings(min_dist=0.0)
    space = reduce.umap_params(settings.cluster_dimensions, settings)
    the_map = reduce.umap_params(2, settings)
    assert space["n_epochs"] == reduce.CLUSTER_EPOCHS == 200
    assert "n_epochs" not in the_map  # UMAP's own: 500 below 10,000 documents
    assert space["min_dist"] == 0.0 and the_map["min_dist"] == reduce.MAP_MIN_DIST


def test_a_clustering_space_is_made_with_those_epochs(monkeypatch):
    import umap

    seen = []
    fit = umap.UMAP.fit_transform

    def record(model, data, *args, **kwargs):
        seen.append((model.n_components, model.n_epochs))
        return fit(model, data, *args, **kwargs)

    monkeypatch.setattr(umap.UMAP, "fit_transform", record)
    vectors = np.random.default_rng(0).standard_normal((60, 8)).astype(np.float32)
    settings = FitSettings(n_neighbors=5)
    reduce.reduce(vectors, 5, settings)
    reduce.reduce(vectors, 2, settings)
    assert seen == [(5, 200), (2, None)]
