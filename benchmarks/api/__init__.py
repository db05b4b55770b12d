"""Ratio benchmarks of the vacancies API: TypedModelViewSet vs plain DRF vs django-ninja."""
