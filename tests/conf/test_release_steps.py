"""The release steps in docs/operations.md alone give a complete installation (issue 14.8)."""

import re

from tests.conf.subprocess_env import REPO, production_env, run_django

# Steps of the block that do not change the database; they are covered elsewhere and would
# write into the checkout (locale/*.mo, staticfiles/) that the rest of the suite reads.
NOT_RUN_HERE = {"compilemessages", "collectstatic"}


def release_steps() -> list[list[str]]:
    text = (REPO / "docs" / "operations.md").read_text()
    block = re.search(r"Per release:\n\n```sh\n(.*?)```", text, re.S)
    assert block, "docs/operations.md has no release block ('Per release:' + sh block)"
    steps = []
    for line in block.group(1).splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith(".venv/bin/python manage.py "):
            steps.append(line.removeprefix(".venv/bin/python manage.py ").split())
    return steps


def test_the_release_block_loads_the_shipped_data():
    names = [step[0] for step in release_steps()]
    assert "migrate" in names and "load_shipped_data" in names
    assert names.index("migrate") < names.index("load_shipped_data")


def test_documented_release_steps_give_a_working_installation(tmp_path):
    env = production_env(tmp_path)
    for step in release_steps():
        if step[0] in NOT_RUN_HERE:
            continue
        result = run_django(step, env)
        assert result.returncode == 0, f"{' '.join(step)}:\n{result.stdout}\n{result.stderr}"
    script = (
        "import django, json; django.setup()\n"
        "from schakel.screening.models import InstrumentVersion\n"
        "from schakel.directory.models import Municipality, Offer\n"
        "from schakel.knowledge.models import KnowledgeItem, Recommendation\n"
        "print(json.dumps([m.objects.count() for m in (InstrumentVersion, Municipality, "
        "Offer, KnowledgeItem, Recommendation)]))"
    )
    result = run_django(["-c", script], env, manage=False)
    assert result.returncode == 0, result.stderr
    counts = [int(n) for n in re.findall(r"\d+", result.stdout.strip().splitlines()[-1])]
    instruments, municipalities, offers, items, recommendations = counts
    assert instruments >= 5, counts
    assert municipalities >= 300, counts
    assert offers > 0 and items > 0 and recommendations > 0, counts
