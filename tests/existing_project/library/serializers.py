from django.contrib.auth import get_user_model
from rest_framework import serializers

from .models import Author, Book, Genre, Publisher, Review, Shelf


class AuthorSerializer(serializers.ModelSerializer):
    book_count = serializers.SerializerMethodField()

    class Meta:
        model = Author
        fields = ["id", "name", "email", "website", "country", "book_count", "created_at"]

    def get_book_count(self, obj) -> int:
        return obj.books.count()


class GenreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Genre
        fields = ["id", "name", "slug"]


class PublisherSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publisher
        fields = ["id", "name", "city"]


class PublisherV2Serializer(serializers.ModelSerializer):
    class Meta:
        model = Publisher
        fields = ["id", "name", "city", "founded"]


class BookSerializer(serializers.ModelSerializer):
    genres = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Genre.objects.all(), required=False
    )
    author_name = serializers.CharField(source="author.name", read_only=True)

    class Meta:
        model = Book
        fields = [
            "id",
            "title",
            "author",
            "author_name",
            "publisher",
            "genres",
            "isbn",
            "format",
            "price",
            "available",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class AuthorBookSerializer(serializers.ModelSerializer):
    """Books of one author: the author comes from the URL."""

    class Meta:
        model = Book
        fields = ["id", "title", "isbn", "format", "price", "available"]


class BookAdminSerializer(serializers.ModelSerializer):
    shelf_count = serializers.SerializerMethodField()

    class Meta:
        model = Book
        fields = ["id", "title", "author", "available", "shelf_count"]

    def get_shelf_count(self, obj):
        return obj.shelves.count()


class BookCoverSerializer(serializers.ModelSerializer):
    class Meta:
        model = Book
        fields = ["id", "cover"]


class BookRefSerializer(serializers.ModelSerializer):
    """Nested on read; the apps send the book's id on write."""

    class Meta:
        model = Book
        fields = ["id", "title"]

    def to_internal_value(self, data):
        if isinstance(data, int):
            try:
                return Book.objects.get(pk=data)
            except Book.DoesNotExist:
                raise serializers.ValidationError(f"Book {data} does not exist.") from None
        raise serializers.ValidationError("Send the book's id.")


class ReviewListSerializer(serializers.ListSerializer):
    """Reviews of deactivated users are hidden."""

    def to_representation(self, data):
        items = data.all() if hasattr(data, "all") else data
        return [self.child.to_representation(item) for item in items if item.reviewer.is_active]


class ReviewSerializer(serializers.ModelSerializer):
    book = BookRefSerializer()
    reviewer = serializers.SerializerMethodField()
    book_title = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ["id", "book", "book_title", "reviewer", "rating", "body", "created_at"]
        list_serializer_class = ReviewListSerializer

    def get_reviewer(self, obj):
        return obj.reviewer.username

    def get_book_title(self, obj) -> str:
        return obj.book.title

    def create(self, validated_data):
        validated_data["reviewer"] = self.context["request"].user
        return super().create(validated_data)


class ShelfSerializer(serializers.ModelSerializer):
    books = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Book.objects.all(), required=False
    )

    class Meta:
        model = Shelf
        fields = ["id", "name", "books", "is_current", "created_at"]


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    email = serializers.EmailField()
    message = serializers.CharField()


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username"]
