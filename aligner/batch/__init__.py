"""A back catalogue: many episodes, planned (:mod:`~aligner.batch.plan`), run on worker processes
(:mod:`~aligner.batch.run`) or on a Dask cluster (:mod:`~aligner.batch.dask`, the optional extra
``aligner[dask]``, imported only when used). Each episode is aligned and written with the same
:class:`~aligner.AlignOptions` as ``aligner align`` uses.
"""

from aligner.batch.plan import Episode, Plan, Unpaired, is_up_to_date, plan_folder, plan_source, read_manifest
from aligner.batch.run import Outcome, Status, align_episode, run_batch

__all__ = [
    "Episode",
    "Outcome",
    "Plan",
    "Status",
    "Unpaired",
    "align_episode",
    "is_up_to_date",
    "plan_folder",
    "plan_source",
    "read_manifest",
    "run_batch",
]
