from django.db.models import Avg, Count
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import filters, generics, permissions, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.versioning import AcceptHeaderVersioning, NamespaceVersioning, URLPathVersioning
from rest_framework.views import APIView

from .models import Author, Book, Genre, Publisher, Review, Shelf
from .pagination import StandardResultsSetPagination
from .serializers import (
    AuthorBookSerializer,
    AuthorSerializer,
    BookAdminSerializer,
    BookCoverSerializer,
    BookSerializer,
    ContactSerializer,
    GenreSerializer,
    PublisherSerializer,
    PublisherV2Serializer,
    ReviewSerializer,
    ShelfSerializer,
)

# ---------------------------------------------------------------- viewsets (router)


class AuthorViewSet(viewsets.ModelViewSet):
    """Authors of the catalogue."""

    queryset = Author.objects.prefetch_related("books")
    serializer_class = AuthorSerializer
    pagination_class = StandardResultsSetPagination
    filterset_fields = ["country"]

    @action(detail=False)
    def stats(self, request):
        """Counts for the dashboard."""
        data = Author.objects.aggregate(
            authors=Count("id", distinct=True), books=Count("books", distinct=True)
        )
        return Response(data)


class BookViewSet(viewsets.ModelViewSet):
    queryset = Book.objects.select_related("author").prefetch_related("genres")
    serializer_class = BookSerializer
    pagination_class = StandardResultsSetPagination
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_fields = ["available", "format", "author"]
    search_fields = ["title", "author__name"]
    ordering_fields = ["price", "title", "created_at"]

    @action(detail=True)
    def related(self, request, pk=None):
        """Other books by the same author."""
        book = self.get_object()
        queryset = self.get_queryset().filter(author=book.author).exclude(pk=book.pk)
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


class AuthorBookViewSet(viewsets.ModelViewSet):
    """Books of one author: /authors/{author_pk}/books/."""

    serializer_class = AuthorBookSerializer
    pagination_class = StandardResultsSetPagination

    def get_author(self):
        return get_object_or_404(Author, pk=self.kwargs["author_pk"])

    def get_queryset(self):
        return Book.objects.filter(author_id=self.kwargs["author_pk"])

    def list(self, request, *args, **kwargs):
        self.get_author()
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.save(author=self.get_author())


class BookAdminViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff view of the catalogue (a second viewset on Book)."""

    queryset = Book.objects.all()
    serializer_class = BookAdminSerializer
    pagination_class = StandardResultsSetPagination
    filterset_fields = ["available"]


class ShelfViewSet(viewsets.ModelViewSet):
    serializer_class = ShelfSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        # drf-yasg/spectacular build the view without a user
        if getattr(self, "swagger_fake_view", False):
            return None
        return Shelf.objects.filter(owner=self.request.user).prefetch_related("books")

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @action(detail=False)
    def current(self, request):
        """The shelves marked as currently reading."""
        shelves = self.get_queryset().filter(is_current=True)
        return Response(self.get_serializer(shelves, many=True).data)


class ReviewViewSet(viewsets.ModelViewSet):
    queryset = Review.objects.select_related("book", "reviewer")
    serializer_class = ReviewSerializer
    pagination_class = StandardResultsSetPagination
    filterset_fields = ["book", "rating"]


class PublisherViewSet(viewsets.ReadOnlyModelViewSet):
    """Publishers; v2 adds the founding year."""

    queryset = Publisher.objects.all()
    versioning_class = NamespaceVersioning

    def get_serializer_class(self):
        if self.request.version == "v2":
            return PublisherV2Serializer
        return PublisherSerializer


# ---------------------------------------------------------------- generic views


class GenreList(generics.ListCreateAPIView):
    """All genres, unpaginated (the project has no default pagination)."""

    queryset = Genre.objects.all()
    serializer_class = GenreSerializer


class GenreDetail(generics.RetrieveUpdateDestroyAPIView):
    queryset = Genre.objects.all()
    serializer_class = GenreSerializer


# ---------------------------------------------------------------- plain APIViews


@extend_schema(
    responses=inline_serializer(
        "LibraryStats",
        {
            "books": serializers.IntegerField(),
            "authors": serializers.IntegerField(),
            "average_rating": serializers.FloatField(allow_null=True),
        },
    )
)
class LibraryStatsAPIView(APIView):
    """Numbers for the home page.

    Public, cached by the CDN.
    """

    permission_classes = [permissions.AllowAny]

    def get(self, request):
        return Response(
            {
                "books": Book.objects.count(),
                "authors": Author.objects.count(),
                "average_rating": Review.objects.aggregate(avg=Avg("rating"))["avg"],
            }
        )


class ShelfBooksView(APIView):
    """Add a book to one of your shelves."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=inline_serializer("ShelfBookAdd", {"book": serializers.IntegerField()}),
        responses=ShelfSerializer,
    )
    def post(self, request, shelf_id):
        shelf = Shelf.objects.filter(pk=shelf_id).first()
        if shelf is None:
            raise NotFound("Shelf not found.")
        if shelf.owner_id != request.user.id:
            return Response(
                {"detail": "You do not own this shelf."}, status=status.HTTP_403_FORBIDDEN
            )
        book_id = request.data.get("book")
        if not isinstance(book_id, int):
            return Response({"book": ["Send the book's id."]}, status=status.HTTP_400_BAD_REQUEST)
        shelf.books.add(get_object_or_404(Book, pk=book_id))
        return Response(ShelfSerializer(shelf).data)


class IsbnLookupApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("isbn", str, required=True)],
        responses=BookSerializer,
    )
    def get(self, request):
        isbn = request.query_params.get("isbn", "")
        if not isbn:
            return Response({"error": "isbn query parameter is required"}, status=400)
        book = Book.objects.filter(isbn=isbn).first()
        if book is None:
            return Response({"error": f"no book with isbn {isbn}"}, status=404)
        return Response(BookSerializer(book).data)


class BookCoverUploadView(APIView):
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = BookCoverSerializer

    def put(self, request, pk):
        book = get_object_or_404(Book, pk=pk)
        serializer = BookCoverSerializer(book, data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response({"id": book.id, "cover": bool(book.cover)})


class StatusView(APIView):
    """Service status, versioned in the path."""

    permission_classes = [permissions.AllowAny]
    versioning_class = URLPathVersioning

    def get(self, request, version):
        return Response({"status": "ok", "version": request.version})


class ApiVersionView(APIView):
    permission_classes = [permissions.AllowAny]
    versioning_class = AcceptHeaderVersioning

    def get(self, request):
        return Response({"version": request.version})


# ---------------------------------------------------------------- function views


@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def index(request, format=None):
    return Response(
        {
            "authors": reverse("author-list", request=request, format=format),
            "books": reverse("book-list", request=request, format=format),
        }
    )


@extend_schema(responses=inline_serializer("BookCount", {"count": serializers.IntegerField()}))
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def book_count(request, author_pk=None):
    """How many books (of one author, under /authors/{author_pk}/)."""
    books = Book.objects.all()
    if author_pk is not None:
        books = books.filter(author_id=author_pk)
    return Response({"count": books.count()})


@api_view(["POST"])
@permission_classes([permissions.AllowAny])
def contact(request):
    serializer = ContactSerializer(data=request.data)
    if not serializer.is_valid():
        return Response({"errors": serializer.errors}, status=400)
    return Response({"sent": True}, status=status.HTTP_202_ACCEPTED)
