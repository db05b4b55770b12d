from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("authors", views.AuthorViewSet)
router.register("books", views.BookViewSet)
router.register("manage/books", views.BookAdminViewSet, basename="manage-book")
router.register("shelves", views.ShelfViewSet, basename="shelf")
router.register("reviews", views.ReviewViewSet)

author_books = views.AuthorBookViewSet.as_view({"get": "list", "post": "create"})
author_book = views.AuthorBookViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)

versioned_router = DefaultRouter()
versioned_router.include_root_view = False
versioned_router.register("publishers", views.PublisherViewSet)

urlpatterns = [
    path("", views.index, name="api-root"),
    path("books/count/", views.book_count, name="book-count"),
    path("authors/<int:author_pk>/books/count/", views.book_count, name="author-book-count"),
    path("authors/<int:author_pk>/books/", author_books, name="author-books"),
    path("authors/<int:author_pk>/books/<int:pk>/", author_book, name="author-book"),
    path("books/<int:pk>/cover/", views.BookCoverUploadView.as_view(), name="book-cover"),
    path("", include(router.urls)),
    path("genres/", views.GenreList.as_view(), name="genre-list"),
    path("genres/<int:pk>/", views.GenreDetail.as_view(), name="genre-detail"),
    path("stats/", views.LibraryStatsAPIView.as_view(), name="library-stats"),
    path("shelves/<int:shelf_id>/books/", views.ShelfBooksView.as_view(), name="shelf-books"),
    path("isbn/", views.IsbnLookupApi.as_view(), name="isbn-lookup"),
    path("contact/", views.contact, name="contact"),
    path("version/", views.ApiVersionView.as_view(), name="api-version"),
    path("<str:version>/status/", views.StatusView.as_view(), name="status"),
    path("v1/", include((versioned_router.urls, "library"), namespace="v1")),
    path("v2/", include((versioned_router.urls, "library"), namespace="v2")),
]
