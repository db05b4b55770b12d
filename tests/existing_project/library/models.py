from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    country = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Genre(models.Model):
    # no timestamps: a lookup table
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Publisher(models.Model):
    name = models.CharField(max_length=200)
    city = models.CharField(max_length=100, blank=True)
    founded = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class Book(models.Model):
    HARDCOVER = "hc"
    PAPERBACK = "pb"
    EBOOK = "eb"
    FORMAT_CHOICES = [(HARDCOVER, "Hardcover"), (PAPERBACK, "Paperback"), (EBOOK, "E-book")]

    title = models.CharField(max_length=300)
    author = models.ForeignKey(Author, related_name="books", on_delete=models.CASCADE)
    publisher = models.ForeignKey(
        Publisher, related_name="books", null=True, blank=True, on_delete=models.SET_NULL
    )
    genres = models.ManyToManyField(Genre, related_name="books", blank=True)
    isbn = models.CharField(max_length=13, blank=True)
    format = models.CharField(max_length=2, choices=FORMAT_CHOICES, blank=True)
    price = models.DecimalField(max_digits=7, decimal_places=2)
    available = models.BooleanField(default=True)
    cover = models.FileField(
        upload_to="covers/",
        blank=True,
        validators=[FileExtensionValidator(allowed_extensions=["jpg", "jpeg", "png"])],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title


class Shelf(models.Model):
    """A reader's shelf. Older table: no updated_at."""

    name = models.CharField(max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="shelves", on_delete=models.CASCADE
    )
    books = models.ManyToManyField(Book, related_name="shelves", blank=True)
    is_current = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class Review(models.Model):
    book = models.ForeignKey(Book, related_name="reviews", on_delete=models.CASCADE)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="reviews", on_delete=models.CASCADE
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
