"""``manage.py seed_vacancies --count N``: deterministic, idempotent demo data.

Ids are UUIDv5 of a fixed namespace and the row number, so running it twice (or on two
machines) gives the same rows, and bulk inserts with ``ignore_conflicts`` keep 10,000 rows
to a few seconds.
"""

import random
import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from vacancies.models import Company, EmploymentType, Location, Requirement, Skill, Vacancy

NAMESPACE = uuid.UUID("6f1c2a52-54d4-4d5e-9a3b-1f2e3d4c5b6a")
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password"

COMPANIES = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark Industries",
    "Wayne Tech",
    "Wonka",
    "Cyberdyne",
    "Soylent",
    "Tyrell",
    "Aperture",
    "Black Mesa",
    "Oscorp",
    "Gringotts",
    "Vandelay",
    "Pied Piper",
    "Dunder Mifflin",
    "Monsters Inc",
    "Nakatomi",
]
CITIES = [
    ("Amsterdam", "Netherlands"),
    ("Berlin", "Germany"),
    ("Lisbon", "Portugal"),
    ("London", "United Kingdom"),
    ("Paris", "France"),
    ("Madrid", "Spain"),
    ("Warsaw", "Poland"),
    ("Stockholm", "Sweden"),
    ("Vienna", "Austria"),
    ("Dublin", "Ireland"),
]
SKILLS = [
    "Python",
    "Django",
    "TypeScript",
    "Svelte",
    "PostgreSQL",
    "Redis",
    "Docker",
    "Kubernetes",
    "React",
    "Go",
    "Rust",
    "AWS",
    "GraphQL",
    "Celery",
    "Linux",
]
ROLES = [
    "Backend Engineer",
    "Frontend Engineer",
    "Full-stack Developer",
    "Data Engineer",
    "DevOps Engineer",
    "Site Reliability Engineer",
    "Engineering Manager",
    "QA Engineer",
]
LEVELS = ["Junior", "Medior", "Senior", "Lead", "Staff"]
REQUIREMENTS = [
    "Fluent English",
    "Three years of experience",
    "A computer science degree",
    "Experience with code review",
    "On-call rotation",
    "Open-source contributions",
    "Work permit for the EU",
    "Excellent written communication",
]


def uid(kind: str, n: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{n}")


class Command(BaseCommand):
    help = "Seed deterministic vacancies, companies, skills and a demo user (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, default=200, help="number of vacancies")

    @transaction.atomic
    def handle(self, *args, count: int, **options) -> None:
        rng = random.Random(42)
        companies = [
            Company(
                id=uid("company", i),
                name=name,
                slug=name.lower().replace(" ", "-"),
                website=f"https://{name.lower().replace(' ', '')}.example",
                size=[1, 2, 3, None][i % 4],
            )
            for i, name in enumerate(COMPANIES)
        ]
        locations = [
            Location(id=uid("location", i), city=c, country=k) for i, (c, k) in enumerate(CITIES)
        ]
        skills = [Skill(id=uid("skill", i), name=n, slug=n.lower()) for i, n in enumerate(SKILLS)]
        requirements = [
            Requirement(id=uid("requirement", i), text=t) for i, t in enumerate(REQUIREMENTS)
        ]
        for model, rows in (
            (Company, companies),
            (Location, locations),
            (Skill, skills),
            (Requirement, requirements),
        ):
            model.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)

        # The demo user owns every seeded vacancy: signed in as demo, the drafts show.
        user_model = get_user_model()
        owner = user_model.objects.filter(username=DEMO_USERNAME).first()
        if owner is None:
            owner = user_model.objects.create_user(
                DEMO_USERNAME,
                "demo@example.com",
                DEMO_PASSWORD,
                first_name="Demo",
                last_name="User",
            )
        existing = set(Vacancy.objects.values_list("id", flat=True))
        vacancies, skill_links, requirement_links = [], [], []
        employment_types = list(EmploymentType.values)
        for n in range(count):
            vid = uid("vacancy", n)
            # Draw every number even for existing rows, so row n is the same on every run.
            role, level = rng.choice(ROLES), rng.choice(LEVELS)
            company, location = rng.choice(companies), rng.choice([*locations, None])
            low = rng.randrange(30, 120) * 1000
            picked_skills = rng.sample(skills, rng.randint(1, 4))
            picked_reqs = rng.sample(requirements, rng.randint(0, 3))
            remote, status = rng.random() < 0.4, rng.choice(["published"] * 8 + ["draft", "closed"])
            etype = rng.choice(employment_types)
            if vid in existing:
                continue
            vacancies.append(
                Vacancy(
                    id=vid,
                    title=f"{level} {role}",
                    slug=f"{level}-{role}-{n}".lower().replace(" ", "-"),
                    description=f"{company.name} is hiring a {level.lower()} {role.lower()}.",
                    company=company,
                    location=location,
                    salary_min=low,
                    salary_max=low + rng.randrange(5, 40) * 1000,
                    remote=remote,
                    status=status,
                    employment_type=etype,
                    experience_level={"Junior": "junior", "Medior": "medior"}.get(level, "senior"),
                    owner=owner,
                )
            )
            skill_links += [
                Vacancy.skills.through(vacancy_id=vid, skill_id=s.id) for s in picked_skills
            ]
            requirement_links += [
                Vacancy.requirements.through(vacancy_id=vid, requirement_id=r.id)
                for r in picked_reqs
            ]
        Vacancy.objects.bulk_create(vacancies, batch_size=1000)
        Vacancy.skills.through.objects.bulk_create(
            skill_links, batch_size=2000, ignore_conflicts=True
        )
        Vacancy.requirements.through.objects.bulk_create(
            requirement_links, batch_size=2000, ignore_conflicts=True
        )

        self.stdout.write(
            f"Seeded {len(vacancies)} new vacancies ({Vacancy.objects.count()} in total)."
        )
